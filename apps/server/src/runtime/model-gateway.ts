import { createHash } from 'node:crypto';
import type { ModelGateway, ResolvedModel } from '@llmctl/runtime';
import type { ModelProvider, ProviderKind } from '@llmctl/providers';
import { createProvider } from '@llmctl/providers';
import type { ModelRepository } from '@llmctl/store';

/** Provider credentials the gateway may add to a model's own settings (API keys are decrypted only here). */
export interface CredentialSource {
  forProvider(provider: string): Promise<{ api_key: string | null; base_url: string | null; settings: Record<string, unknown> } | null>;
}

/**
 * Wires the runtime's model port to the model registry and @llmctl/providers. Provider clients are cached per model
 * and rebuilt when the model's `updated_at` changes.
 */
export class RegistryModelGateway implements ModelGateway {
  private readonly cache = new Map<string, { stamp: string; provider: ModelProvider }>();
  constructor(
    private readonly models: ModelRepository,
    private readonly credentials?: CredentialSource,
  ) {}

  async resolve(name: string): Promise<ResolvedModel | null> {
    const m = await this.models.findByName(name);
    if (!m) return null;
    const creds = m.provider === 'scripted' ? null : await this.credentials?.forProvider(m.provider);
    // The stamp changes whenever the model or its provider credentials change (a digest, never the key itself).
    const stamp = `${m.updated_at}|${creds ? createHash('sha256').update(JSON.stringify([creds.api_key, creds.base_url, creds.settings])).digest('hex') : ''}`;
    let entry = this.cache.get(m.id);
    if (!entry || entry.stamp !== stamp) {
      const provider = createProvider({
        provider: m.provider as ProviderKind,
        base_url: m.base_url ?? creds?.base_url ?? null,
        api_key: creds?.api_key ?? null,
        settings: { ...(creds?.settings ?? {}), ...(m.settings ?? {}) },
        project: (m.settings?.project as string | undefined) ?? null,
        location: (m.settings?.location as string | undefined) ?? null,
      });
      entry = { stamp, provider };
      this.cache.set(m.id, entry);
    }
    const provider = entry.provider;
    return { name: m.name, provider: m.provider, model: m.model, chat: (req, opts) => provider.chat(req, opts) };
  }
}
