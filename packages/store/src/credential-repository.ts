import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
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

  private view(row: { provider: string; api_key_enc: string | null; api_key_hint: string | null; base_url: string | null; settings: Record<string, unknown>; updated_at: string } | undefined, provider: string): ProviderCredentialView {
    return {
      provider, has_api_key: !!row?.api_key_enc, api_key_masked: row?.api_key_enc ? row.api_key_hint : null,
      base_url: row?.base_url ?? null, settings: row?.settings ?? {}, updated_at: row?.updated_at ?? null,
    };
  }

  async get(provider: string): Promise<ProviderCredentialView> {
    const r = await this.pool.query(`SELECT * FROM provider_credentials WHERE provider = $1`, [provider]);
    return this.view(r.rows[0], provider);
  }

  async list(providers: readonly string[]): Promise<ProviderCredentialView[]> {
    const r = await this.pool.query(`SELECT * FROM provider_credentials`);
    const byProvider = new Map(r.rows.map((x: { provider: string }) => [x.provider, x]));
    return providers.map((p) => this.view(byProvider.get(p) as never, p));
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
      const cur = await this.pool.query<{ secrets_enc: string | null }>('SELECT secrets_enc FROM provider_credentials WHERE provider = $1', [provider]);
      const split = splitSecrets(input.settings, openEntries(this.box, cur.rows[0]?.secrets_enc));
      settings = split.settings;
      secrets = sealEntries(this.box, split.entries);
    }
    await this.pool.query(
      `INSERT INTO provider_credentials (provider, api_key_enc, api_key_hint, base_url, settings, secrets_enc, updated_at)
       VALUES ($1, $2, $3, $4, $5, $9, now())
       ON CONFLICT (provider) DO UPDATE SET
         api_key_enc = CASE WHEN $6 THEN EXCLUDED.api_key_enc ELSE provider_credentials.api_key_enc END,
         api_key_hint = CASE WHEN $6 THEN EXCLUDED.api_key_hint ELSE provider_credentials.api_key_hint END,
         base_url = CASE WHEN $7 THEN EXCLUDED.base_url ELSE provider_credentials.base_url END,
         settings = CASE WHEN $8 THEN EXCLUDED.settings ELSE provider_credentials.settings END,
         secrets_enc = CASE WHEN $8 THEN EXCLUDED.secrets_enc ELSE provider_credentials.secrets_enc END,
         updated_at = now()`,
      [provider, sealed ?? null, hint, input.base_url ?? null, JSON.stringify(settings ?? {}), sealed !== undefined, input.base_url !== undefined, input.settings !== undefined, secrets],
    );
    return this.get(provider);
  }

  /** The decrypted credentials, for the model gateway only (never returned by the API). */
  async forProvider(provider: string): Promise<{ api_key: string | null; base_url: string | null; settings: Record<string, unknown> } | null> {
    const r = await this.pool.query(`SELECT api_key_enc, base_url, settings, secrets_enc FROM provider_credentials WHERE provider = $1`, [provider]);
    const row = r.rows[0] as { api_key_enc: string | null; base_url: string | null; settings: Record<string, unknown>; secrets_enc: string | null } | undefined;
    if (!row) return null;
    const settings = joinSecrets(row.settings ?? {}, openEntries(this.box, row.secrets_enc));
    return { api_key: row.api_key_enc ? this.box.open(row.api_key_enc) : null, base_url: row.base_url, settings };
  }

  /** Seals provider settings credentials still stored in plain text (see `ModelRepository.sealPlaintextCredentials`). */
  async sealPlaintextCredentials(): Promise<number> {
    const r = await this.pool.query<{ provider: string; settings: Record<string, unknown> }>('SELECT provider, settings FROM provider_credentials WHERE secrets_enc IS NULL');
    let changed = 0;
    for (const row of r.rows) {
      const split = splitSecrets(row.settings ?? {});
      if (split.entries.length === 0) continue;
      const u = await this.pool.query('UPDATE provider_credentials SET settings = $2, secrets_enc = $3 WHERE provider = $1 AND secrets_enc IS NULL',
        [row.provider, JSON.stringify(split.settings), sealEntries(this.box, split.entries)]);
      changed += u.rowCount ?? 0;
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
