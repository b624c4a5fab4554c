import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { newId } from './ids.ts';
import { offsetOf, parseListParams, type ListResult } from './list-params.ts';
import { withTransaction } from './pool.ts';
import { kyselyOf } from './db/kysely.ts';
import { FlowchartRepository } from './flowchart-repository.ts';
import { maskSecret, type SecretBox } from './secret-box.ts';
import { openEntries, sealEntries, splitSecrets, type SecretEntry } from './model-secrets.ts';

/** A model registry entry (api.md "Main shapes"); scripted models are labelled as offline. */
export interface Model {
  id: string;
  name: string;
  provider: string;
  model: string;
  base_url: string | null;
  /** Credential values (header values, fields named like a credential) are masked here; they are stored sealed. */
  settings: Record<string, unknown>;
  /** Present (true) when the model carries its own (write-only) API key. */
  has_api_key?: true;
  /** Present with `has_api_key`: `sk-…9f8e`. */
  api_key_masked?: string;
  created_at: string;
  updated_at: string;
  /** Present (true) on `scripted` models: they answer offline from their settings. */
  offline?: true;
  /** Present on `scripted` models: `"scripted (offline)"`. */
  label?: string;
}

/** Fields of a new model (validated by the caller). */
export interface ModelInput {
  name: string;
  provider: string;
  model: string;
  base_url?: string | null;
  settings?: Record<string, unknown>;
  /** The model's own API key (write-only): a new key; `null` removes it; absent keeps it. */
  api_key?: string | null;
}

export const MODEL_SORTS = ['name', 'provider', 'updated_at'] as const;
export type ModelSort = (typeof MODEL_SORTS)[number];
const SORT_SQL: Record<ModelSort, string> = { name: 'lower(name)', provider: 'provider', updated_at: 'updated_at' };

type ModelRow = Omit<Model, 'offline' | 'label' | 'has_api_key' | 'api_key_masked'> & { api_key_hint?: string | null; has_api_key?: boolean };

const COLUMNS = 'id, name, provider, model, base_url, settings, created_at, updated_at, api_key_hint, api_key_enc IS NOT NULL AS has_api_key';

/** Row → API shape. */
export function toModel(r: ModelRow): Model {
  const { api_key_hint, has_api_key, ...rest } = r;
  const m: Model = { ...rest };
  if (has_api_key) {
    m.has_api_key = true;
    m.api_key_masked = api_key_hint ?? '…';
  }
  if (r.provider === 'scripted') {
    m.offline = true;
    m.label = 'scripted (offline)';
  }
  return m;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

function nameTaken(name: string): LlmctlError {
  return new LlmctlError('name_taken', `A model named "${name}" already exists.`, { name });
}

function noBox(): LlmctlError {
  return new LlmctlError('unavailable', 'Model credentials can only be stored sealed: this repository has no master key.');
}

function notFound(id: string): LlmctlError {
  return new LlmctlError('not_found', `No model ${id}.`, { model_id: id });
}

/**
 * The model registry. Task nodes name models by `name`, which is unique. With a {@link SecretBox} (the master key), a
 * model's own API key and the credential values of its settings are stored sealed and shown masked; without one,
 * writing credentials is refused (they are never stored in plain text).
 */
export class ModelRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly box?: SecretBox,
  ) {}

  /** Masked settings, the sealed secrets and the sealed key of a write (undefined key: keep the stored one). */
  private seal(input: Partial<ModelInput>, provider: string, previous: SecretEntry[]): { settings?: string; secrets?: string | null; key?: string | null; hint?: string | null } {
    const out: { settings?: string; secrets?: string | null; key?: string | null; hint?: string | null } = {};
    if (input.settings !== undefined) {
      const split = provider === 'scripted' ? { settings: input.settings, entries: [] } : splitSecrets(input.settings, previous);
      if (split.entries.length > 0 && !this.box) throw noBox();
      out.settings = JSON.stringify(split.settings);
      out.secrets = this.box ? sealEntries(this.box, split.entries) : null;
    }
    if (input.api_key !== undefined) {
      if (input.api_key !== null && !this.box) throw noBox();
      out.key = input.api_key === null ? null : this.box!.seal(input.api_key);
      out.hint = input.api_key === null ? null : maskSecret(input.api_key);
    }
    return out;
  }

  /** The model's own key and settings secrets, decrypted (for the model gateway only; never returned by the API). */
  async secretsOf(id: string, box: SecretBox | undefined = this.box): Promise<{ api_key: string | null; entries: SecretEntry[] }> {
    const r = await this.pool.query<{ api_key_enc: string | null; secrets_enc: string | null }>('SELECT api_key_enc, secrets_enc FROM models WHERE id = $1', [id]);
    const row = r.rows[0];
    if (!row || (!row.api_key_enc && !row.secrets_enc)) return { api_key: null, entries: [] };
    if (!box) throw noBox();
    return { api_key: row.api_key_enc ? box.open(row.api_key_enc) : null, entries: openEntries(box, row.secrets_enc) };
  }

  /**
   * Seals credentials still stored in plain text in `settings` (rows written before credentials were sealed): their
   * values move into `secrets_enc`, masks take their place. Returns how many models were changed. Idempotent.
   */
  async sealPlaintextCredentials(): Promise<number> {
    if (!this.box) throw noBox();
    const box = this.box;
    const r = await this.pool.query<{ id: string; provider: string; settings: Record<string, unknown> }>(
      `SELECT id, provider, settings FROM models WHERE secrets_enc IS NULL AND provider <> 'scripted'`);
    let changed = 0;
    for (const row of r.rows) {
      const split = splitSecrets(row.settings ?? {});
      if (split.entries.length === 0) continue;
      const u = await this.pool.query('UPDATE models SET settings = $2, secrets_enc = $3 WHERE id = $1 AND secrets_enc IS NULL',
        [row.id, JSON.stringify(split.settings), sealEntries(box, split.entries)]);
      changed += u.rowCount ?? 0;
    }
    return changed;
  }

  /** Creates a model (`name_taken` when the name exists). */
  async create(input: ModelInput): Promise<Model> {
    const sealed = this.seal({ settings: input.settings ?? {}, api_key: input.api_key }, input.provider, []);
    try {
      const r = await this.pool.query<ModelRow>(
        `INSERT INTO models (id, name, provider, model, base_url, settings, secrets_enc, api_key_enc, api_key_hint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [newId('mdl'), input.name, input.provider, input.model, input.base_url ?? null, sealed.settings, sealed.secrets ?? null, sealed.key ?? null, sealed.hint ?? null]);
      return toModel(r.rows[0]!);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
  }

  /** Updates the given fields (absent ones keep their value); `not_found` / `name_taken`. */
  async update(id: string, patch: Partial<ModelInput>): Promise<Model> {
    try {
      return await withTransaction(this.pool, async (c) => {
        const cur = await c.query<{ provider: string; secrets_enc: string | null }>('SELECT provider, secrets_enc FROM models WHERE id = $1 FOR UPDATE', [id]);
        if (!cur.rows[0]) throw notFound(id);
        const previous = cur.rows[0].secrets_enc && this.box ? openEntries(this.box, cur.rows[0].secrets_enc) : [];
        const s = this.seal(patch, patch.provider ?? cur.rows[0].provider, previous);
        const r = await c.query<ModelRow>(
          `UPDATE models SET name = COALESCE($2, name), provider = COALESCE($3, provider), model = COALESCE($4, model),
                  base_url = CASE WHEN $5::boolean THEN $6 ELSE base_url END, settings = COALESCE($7::jsonb, settings),
                  secrets_enc = CASE WHEN $8::boolean THEN $9 ELSE secrets_enc END,
                  api_key_enc = CASE WHEN $10::boolean THEN $11 ELSE api_key_enc END,
                  api_key_hint = CASE WHEN $10::boolean THEN $12 ELSE api_key_hint END, updated_at = now()
            WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, patch.name ?? null, patch.provider ?? null, patch.model ?? null, patch.base_url !== undefined, patch.base_url ?? null,
            s.settings ?? null, s.settings !== undefined, s.secrets ?? null, s.key !== undefined, s.key ?? null, s.hint ?? null]);
        return toModel(r.rows[0]!);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(patch.name ?? '');
      throw err;
    }
  }

  async find(id: string): Promise<Model | undefined> {
    const r = await this.pool.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE id = $1`, [id]);
    return r.rows[0] ? toModel(r.rows[0]) : undefined;
  }

  /** Like {@link find}, but `not_found` when missing. */
  async get(id: string): Promise<Model> {
    const m = await this.find(id);
    if (!m) throw notFound(id);
    return m;
  }

  async findByName(name: string): Promise<Model | undefined> {
    const r = await this.pool.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE name = $1`, [name]);
    return r.rows[0] ? toModel(r.rows[0]) : undefined;
  }

  /** Every registered model name (for save-time `model_unknown` checks). */
  async names(): Promise<string[]> {
    const r = await this.pool.query<{ name: string }>('SELECT name FROM models ORDER BY name');
    return r.rows.map((row) => row.name);
  }

  /** Lists models: `q` (case-insensitive substring of the name), `provider`, `sort`, `order`, `page`, `per_page`. */
  async list(raw: Record<string, unknown> = {}): Promise<ListResult<Model>> {
    const p = parseListParams(raw, { sorts: MODEL_SORTS, defaultSort: 'name', defaultOrder: { '*': 'asc', updated_at: 'desc' } });
    const providerRaw = raw.provider;
    if (providerRaw !== undefined && typeof providerRaw !== 'string') {
      throw new LlmctlError('validation_failed', 'provider must be given once, as a string', { errors: [{ path: 'provider', message: 'must be a string' }] });
    }
    const provider = providerRaw ? providerRaw : null;
    const where = 'WHERE ($1::text IS NULL OR strpos(lower(name), lower($1)) > 0) AND ($2::text IS NULL OR provider = $2)';
    const dir = p.order === 'asc' ? 'ASC' : 'DESC';
    const [rows, count] = await Promise.all([
      this.pool.query<ModelRow>(`SELECT ${COLUMNS} FROM models ${where} ORDER BY ${SORT_SQL[p.sort]} ${dir}, lower(name) ${dir}, id ${dir}
        LIMIT $3 OFFSET $4`, [p.q ?? null, provider, p.per_page, offsetOf(p)]),
      this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM models ${where}`, [p.q ?? null, provider]),
    ]);
    return { items: rows.rows.map(toModel), page: { page: p.page, per_page: p.per_page, total: count.rows[0]?.n ?? 0 } };
  }

  /**
   * Deletes a model. Refused with `conflict` (details.flowcharts: `[{ id, name }]`) while the latest version of a
   * flowchart names it; `not_found` when it does not exist.
   */
  async delete(id: string): Promise<Model> {
    return withTransaction(this.pool, async (c) => {
      const r = await c.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE id = $1 FOR UPDATE`, [id]);
      const row = r.rows[0];
      if (!row) throw notFound(id);
      const users = await new FlowchartRepository(this.pool).findUsingModel(row.name, kyselyOf(c));
      if (users.length > 0) {
        throw new LlmctlError('conflict', `The model "${row.name}" is used by ${users.length} flowchart(s); change them first.`,
          { model_id: id, name: row.name, flowcharts: users });
      }
      await c.query('DELETE FROM models WHERE id = $1', [id]);
      return toModel(row);
    });
  }
}
