import type pg from 'pg';
import { sql, type Selectable } from 'kysely';
import { LlmctlError } from '@llmctl/contracts';
import { kyselyOf, type StoreDb } from './db/kysely.ts';
import type { ProviderCredentials } from './db/schema.ts';
import type { SecretBox } from './secret-box.ts';
import { maskSecret } from './secret-box.ts';
import { ModelRepository } from './model-repository.ts';
import { joinSecrets, openEntries, sealEntries, splitSecrets, type SecretEntry } from './model-secrets.ts';

/** Provider credentials as the API shows them: the key is write-only, only a mask is returned. */
export interface ProviderCredentialView {
  provider: string;
  has_api_key: boolean;
  api_key_masked: string | null;
  base_url: string | null;
  settings: Record<string, unknown>;
  updated_at: string | null;
}

export interface ProviderCredentialInput {
  /** A new key; `null` removes the stored one; absent keeps it. */
  api_key?: string | null;
  base_url?: string | null;
  settings?: Record<string, unknown>;
}

/** Provider credentials, the API key sealed with AES-256-GCM under the master key. */
export class CredentialRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly box: SecretBox,
  ) {}

  private get db(): StoreDb {
    return kyselyOf(this.pool);
  }

  private view(row: Selectable<ProviderCredentials> | undefined, provider: string): ProviderCredentialView {
    return {
      provider, has_api_key: !!row?.api_key_enc, api_key_masked: row?.api_key_enc ? row.api_key_hint : null,
      base_url: row?.base_url ?? null, settings: (row?.settings ?? {}) as Record<string, unknown>, updated_at: row?.updated_at ?? null,
    };
  }

  async get(provider: string): Promise<ProviderCredentialView> {
    const row = await this.db.selectFrom('provider_credentials').selectAll().where('provider', '=', provider).executeTakeFirst();
    return this.view(row, provider);
  }

  async list(providers: readonly string[]): Promise<ProviderCredentialView[]> {
    const rows = await this.db.selectFrom('provider_credentials').selectAll().execute();
    const byProvider = new Map(rows.map((x) => [x.provider, x]));
    return providers.map((p) => this.view(byProvider.get(p), p));
  }

  /**
   * Stores the given fields (absent ones keep their value). Credential values of `settings` are sealed and masked
   * like model settings; writing a mask back keeps the sealed value.
   */
  async put(provider: string, input: ProviderCredentialInput): Promise<ProviderCredentialView> {
    if (input.api_key !== undefined && input.api_key !== null && (typeof input.api_key !== 'string' || input.api_key.length === 0 || input.api_key.length > 4096)) {
      throw new LlmctlError('validation_failed', 'api_key must be a non-empty string of at most 4096 characters', { errors: [{ path: 'api_key', message: 'invalid' }] });
    }
    const sealed = input.api_key === undefined ? undefined : input.api_key === null ? null : this.box.seal(input.api_key);
    const hint = input.api_key ? maskSecret(input.api_key) : null;
    let settings: Record<string, unknown> | undefined;
    let secrets: string | null = null;
    if (input.settings !== undefined) {
      const cur = await this.db.selectFrom('provider_credentials').select('secrets_enc').where('provider', '=', provider).executeTakeFirst();
      const split = splitSecrets(input.settings, openEntries(this.box, cur?.secrets_enc));
      settings = split.settings;
      secrets = sealEntries(this.box, split.entries);
    }
    await this.db.insertInto('provider_credentials')
      .values({
        provider, api_key_enc: sealed ?? null, api_key_hint: hint, base_url: input.base_url ?? null, settings: JSON.stringify(settings ?? {}),
        secrets_enc: secrets, updated_at: sql<string>`now()`,
      })
      // Only the given fields replace the stored ones.
      .onConflict((oc) => oc.column('provider').doUpdateSet((eb) => ({
        ...(sealed !== undefined ? { api_key_enc: eb.ref('excluded.api_key_enc'), api_key_hint: eb.ref('excluded.api_key_hint') } : {}),
        ...(input.base_url !== undefined ? { base_url: eb.ref('excluded.base_url') } : {}),
        ...(input.settings !== undefined ? { settings: eb.ref('excluded.settings'), secrets_enc: eb.ref('excluded.secrets_enc') } : {}),
        updated_at: sql<string>`now()`,
      })))
      .execute();
    return this.get(provider);
  }

  /** The decrypted credentials, for the model gateway only (never returned by the API). */
  async forProvider(provider: string): Promise<{ api_key: string | null; base_url: string | null; settings: Record<string, unknown> } | null> {
    const row = await this.db.selectFrom('provider_credentials').select(['api_key_enc', 'base_url', 'settings', 'secrets_enc'])
      .where('provider', '=', provider).executeTakeFirst();
    if (!row) return null;
    const settings = joinSecrets((row.settings ?? {}) as Record<string, unknown>, openEntries(this.box, row.secrets_enc));
    return { api_key: row.api_key_enc ? this.box.open(row.api_key_enc) : null, base_url: row.base_url, settings };
  }

  /** Seals provider settings credentials still stored in plain text (see `ModelRepository.sealPlaintextCredentials`). */
  async sealPlaintextCredentials(): Promise<number> {
    const rows = await this.db.selectFrom('provider_credentials').select(['provider', 'settings']).where('secrets_enc', 'is', null).execute();
    let changed = 0;
    for (const row of rows) {
      const split = splitSecrets((row.settings ?? {}) as Record<string, unknown>);
      if (split.entries.length === 0) continue;
      const u = await this.db.updateTable('provider_credentials')
        .set({ settings: JSON.stringify(split.settings), secrets_enc: sealEntries(this.box, split.entries) })
        .where('provider', '=', row.provider).where('secrets_enc', 'is', null).executeTakeFirst();
      changed += Number(u.numUpdatedRows);
    }
    return changed;
  }

  /** A model's own key and sealed settings values, decrypted (for the model gateway only). */
  async forModel(modelId: string): Promise<{ api_key: string | null; entries: SecretEntry[] }> {
    return new ModelRepository(this.pool, this.box).secretsOf(modelId);
  }

  /** The model registry with this master key: model keys and settings credentials are stored sealed. */
  models(): ModelRepository {
    return new ModelRepository(this.pool, this.box);
  }
}
