import { LlmctlError } from '@llmctl/contracts';
import { redactText } from '@llmctl/providers';
import type { ModelGateway } from '@llmctl/runtime';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { requireId } from '../routes/params.ts';

const TEST_TIMEOUT_MS = 20_000;

/** `POST /api/models/:id/test`: one tiny live call; reports latency, or the provider's coded error. */
export function modelTestRoute(models: ModelGateway): RouteInstaller {
  return async (app, ctx) => {
    app.post<{ Params: { id: string } }>('/api/models/:id/test', async (req, reply) => {
      const id = requireId('mdl', req.params.id, 'model');
      const model = await ctx.repos.models.get(id);
      const resolved = await models.resolve(model.name);
      if (!resolved) throw new LlmctlError('not_found', `model ${id} not found`);
      if (model.provider === 'scripted') {
        // Scripted models answer offline from their settings: there is no live endpoint to call.
        return ok(reply, { ok: true, latency_ms: 0, provider: model.provider, model: model.model, offline: true, reply: 'scripted (offline): answers come from the model settings; no network call was made' });
      }
      const started = performance.now();
      try {
        const res = await resolved.chat(
          { model: resolved.model, messages: [{ role: 'user', content: 'Reply with the single word: pong' }], max_tokens: 8 },
          { signal: AbortSignal.timeout(TEST_TIMEOUT_MS), scripted: { prompt: 'connection test' } },
        );
        return ok(reply, { ok: true, latency_ms: Math.round(performance.now() - started), provider: model.provider, model: model.model, offline: model.provider === 'scripted', reply: res.text.slice(0, 200), usage: res.usage });
      } catch (err) {
        const e = err instanceof LlmctlError ? err.toInfo() : { code: 'provider_error', message: (err as Error)?.message ?? String(err), details: {}, retryable: false };
        // Provider errors arrive redacted (createProvider); key-looking text is removed once more, whatever threw.
        return ok(reply, { ok: false, latency_ms: Math.round(performance.now() - started), provider: model.provider, model: model.model, error: { code: e.code, message: redactText(e.message), retryable: e.retryable } });
      }
    });
  };
}
