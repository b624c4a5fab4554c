import type pg from 'pg';
import { KubernetesBackend, buildPayload, type PayloadModel } from '@llmctl/executors';
import type { ModelCallLog } from '@llmctl/runtime';
import { SettingsRepository, joinSecrets, type ModelRepository } from '@llmctl/store';
import type { CredentialSource } from './model-gateway.ts';

/**
 * The `kubernetes` backend of a server or worker: settings and images from the runtime settings (read per attempt),
 * the default kubeconfig (KUBECONFIG, ~/.kube/config, or the in-cluster service account; loaded on first use), and
 * payloads carrying only the node's own models with their credentials. Stored provider credentials go only with a
 * model that uses the provider's endpoint (no base URL of its own, or the provider's stored one); otherwise the model
 * gets only its own key (the same egress rule as inline calls).
 */
export function kubernetesBackend(pool: pg.Pool, models: ModelRepository, calls: ModelCallLog, credentials?: CredentialSource): KubernetesBackend {
  const settings = new SettingsRepository(pool);
  const resolve = async (name: string): Promise<PayloadModel | null> => {
    const m = await models.findByName(name);
    if (!m) return null;
    if (m.provider === 'scripted') return { name: m.name, provider: m.provider, model: m.model, base_url: null, api_key: null, settings: m.settings ?? {} };
    const creds = (await credentials?.forProvider(m.provider)) ?? null;
    const own = (await credentials?.forModel?.(m.id)) ?? null;
    const ownSettings = own ? joinSecrets(m.settings ?? {}, own.entries) : (m.settings ?? {});
    const providerEndpoint = !m.base_url || (creds?.base_url ?? null) === m.base_url;
    return {
      name: m.name, provider: m.provider, model: m.model, base_url: m.base_url ?? creds?.base_url ?? null,
      api_key: own?.api_key ?? (providerEndpoint ? (creds?.api_key ?? null) : null),
      settings: { ...(providerEndpoint ? (creds?.settings ?? {}) : {}), ...ownSettings },
    };
  };
  return new KubernetesBackend({
    pool,
    settings: async () => {
      const s = await settings.getRuntime();
      return { kubernetes: s.kubernetes, images: s.images };
    },
    payloadFor: (row, x) => buildPayload(row, x, resolve),
    recordCall: (c) => calls.record(c),
  });
}
