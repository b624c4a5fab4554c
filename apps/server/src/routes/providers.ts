import { LlmctlError } from '@llmctl/contracts';
import { PROVIDER_ENDPOINTS, PROVIDER_KINDS, baseUrlNotAllowed, checkBaseUrl, parseAllowedBaseUrls, type ProviderKind } from '@llmctl/providers';
import { CredentialRepository, SecretBox } from '@llmctl/store';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { loadMasterKey } from '../master-key.ts';
import { requireObjectBody } from './params.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Provider credentials (sealed at rest); the runtime's model gateway reads keys through it. */
    credentials: CredentialRepository;
  }
}

/** `GET /api/providers`, `PUT /api/providers/:provider`: credentials are write-only, reads show a mask. */
export const providerRoutes: RouteInstaller = async (app, ctx) => {
  const credentials = new CredentialRepository(ctx.db.pool, new SecretBox(await loadMasterKey(ctx.config.dataDir)));
  app.decorate('credentials', credentials);
  const allowlist = parseAllowedBaseUrls(ctx.config.allowedBaseUrls);
  const sealed = await credentials.sealPlaintextCredentials();
  if (sealed > 0) ctx.logger.info({ providers: sealed }, 'sealed plaintext credentials found in provider settings');

  app.get('/api/providers', async (_req, reply) => ok(reply, await credentials.list(PROVIDER_KINDS.filter((p) => p !== 'scripted'))));

  app.put<{ Params: { provider: string } }>('/api/providers/:provider', async (req, reply) => {
    const provider = req.params.provider;
    if (!(PROVIDER_KINDS as readonly string[]).includes(provider) || provider === 'scripted') {
      throw new LlmctlError('not_found', `unknown provider ${provider.slice(0, 64)}`, { provider: provider.slice(0, 64) });
    }
    const body = requireObjectBody(req.body); // fields checked by the ProviderCredentialInput schema
    if (typeof body.base_url === 'string') {
      // Link-local and metadata addresses are refused here too, unless listed in LLMCTL_ALLOWED_BASE_URLS.
      const v = await checkBaseUrl(body.base_url, { allowlist, trusted: PROVIDER_ENDPOINTS[provider as ProviderKind] ?? [] });
      if (v.verdict === 'forbidden') throw baseUrlNotAllowed(body.base_url, v.reason);
    }
    const view = await credentials.put(provider, body as { api_key?: string | null; base_url?: string | null; settings?: Record<string, unknown> });
    return ok(reply, view);
  });
};
