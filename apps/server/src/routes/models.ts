import { checkBaseUrl, baseUrlNotAllowed, parseAllowedBaseUrls, type ProviderKind, PROVIDER_ENDPOINTS } from '@llmctl/providers';
import { ModelRepository, SecretBox, type Model, type ModelInput } from '@llmctl/store';
import type { AppContext, RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { loadMasterKey } from '../master-key.ts';
import { parseModelCreate, parseModelUpdate } from './model-input.ts';
import { queryOf, requireId, requireObjectBody } from './params.ts';

type IdParams = { Params: { id: string } };

function changed(ctx: AppContext, req: { id: string; correlationId: string }, m: Model, action: 'created' | 'updated' | 'deleted'): void {
  const stamp = action === 'deleted' ? new Date().toISOString() : m.updated_at;
  // `m` comes from the repository: credential values are masked (sealed at rest), the model key is never in it.
  ctx.emit({
    event_type: `config:model:${action}`, flowchart_id: null, idempotency_key: `model:${m.id}:${stamp}`,
    request_id: req.id, correlation_id: req.correlationId, payload: { model: m },
  });
}

/**
 * Model registry CRUD (api.md). Scripted models carry `offline: true` and `label: "scripted (offline)"`. The model's
 * own `api_key` and the credential values of `settings` are sealed under the master key and shown masked. A
 * `base_url` on a link-local or metadata address (not listed in LLMCTL_ALLOWED_BASE_URLS) is refused with 422
 * `base_url_not_allowed`.
 */
export const modelRoutes: RouteInstaller = async (app, ctx) => {
  const models = new ModelRepository(ctx.db.pool, new SecretBox(await loadMasterKey(ctx.config.dataDir)));
  const allowlist = parseAllowedBaseUrls(ctx.config.allowedBaseUrls);
  // Rows written before settings credentials were sealed: seal them now (idempotent, a no-op once done).
  const sealed = await models.sealPlaintextCredentials();
  if (sealed > 0) ctx.logger.info({ models: sealed }, 'sealed plaintext credentials found in model settings');

  /** Outright forbidden base URLs are refused at write time (the run-time check also covers DNS changes). */
  async function checkWrite(input: ModelInput): Promise<void> {
    if (!input.base_url || input.provider === 'scripted') return;
    const v = await checkBaseUrl(input.base_url, { allowlist, trusted: PROVIDER_ENDPOINTS[input.provider as ProviderKind] ?? [] });
    if (v.verdict === 'forbidden') throw baseUrlNotAllowed(input.base_url, v.reason);
  }

  app.get('/api/models', async (req, reply) => {
    const list = await models.list(queryOf(req.query));
    return ok(reply, list.items, { ...list.page });
  });

  app.post('/api/models', async (req, reply) => {
    const input = parseModelCreate(requireObjectBody(req.body));
    await checkWrite(input);
    const m = await models.create(input);
    changed(ctx, req, m, 'created');
    return ok(reply, m, undefined, 201);
  });

  app.get<IdParams>('/api/models/:id', async (req, reply) =>
    ok(reply, await models.get(requireId('mdl', req.params.id, 'model'))));

  app.put<IdParams>('/api/models/:id', async (req, reply) => {
    const id = requireId('mdl', req.params.id, 'model');
    const body = requireObjectBody(req.body);
    const current = await models.get(id);
    const input = parseModelUpdate(body, current);
    await checkWrite(input);
    const m = await models.update(id, input);
    changed(ctx, req, m, 'updated');
    return ok(reply, m);
  });

  app.delete<IdParams>('/api/models/:id', async (req, reply) => {
    const m = await models.delete(requireId('mdl', req.params.id, 'model'));
    changed(ctx, req, m, 'deleted');
    return ok(reply, { id: m.id, deleted: true });
  });
};
