import type pg from 'pg';
import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Updateable } from 'kysely';
import { LlmctlError } from '@llmctl/contracts';
import { newId } from './ids.ts';
import { offsetOf, parseListParams, type ListResult } from './list-params.ts';
import { kyselyOf, type StoreDb } from './db/kysely.ts';
import type { DB, Models } from './db/schema.ts';
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
type M = ExpressionBuilder<DB, 'models'>;

const lowerName = (eb: M) => eb.fn<string>('lower', ['name']);
const SORT_SQL: Record<ModelSort, (eb: M) => Expression<unknown>> = {
  name: lowerName, provider: (eb) => eb.ref('provider'), updated_at: (eb) => eb.ref('updated_at'),
};

/** A selected row (settings as the generated `Json`: the object the model was saved with). */
type ModelRow = Omit<Model, 'offline' | 'label' | 'has_api_key' | 'api_key_masked' | 'settings'> & {
  settings: unknown; api_key_hint?: string | null; has_api_key?: boolean;
};

/** The columns of {@link ModelRow}: never the sealed key or secrets. */
const COLUMNS = (eb: M) => ['id', 'name', 'provider', 'model', 'base_url', 'settings', 'created_at', 'updated_at', 'api_key_hint',
  eb('api_key_enc', 'is not', null).$castTo<boolean>().as('has_api_key')] as const;

/** The models matching `q` (case-insensitive substring of the name) and `provider` (all without them). */
function listFilter(eb: M, q: string | undefined, provider: string | null): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (q !== undefined) terms.push(eb(sql<number>`strpos(lower(name), lower(${q}))`, '>', 0));
  if (provider !== null) terms.push(eb('provider', '=', provider));
  return eb.and(terms);
}

/** Row → API shape. */
export function toModel(r: ModelRow): Model {
  const { api_key_hint, has_api_key, ...rest } = r;
  const m: Model = { ...rest, settings: rest.settings as Record<string, unknown> };
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

  private get db(): StoreDb {
    return kyselyOf(this.pool);
  }

  /** The model's own key and settings secrets, decrypted (for the model gateway only; never returned by the API). */
  async secretsOf(id: string, box: SecretBox | undefined = this.box): Promise<{ api_key: string | null; entries: SecretEntry[] }> {
    const row = await this.db.selectFrom('models').select(['api_key_enc', 'secrets_enc']).where('id', '=', id).executeTakeFirst();
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
    const rows = await this.db.selectFrom('models').select(['id', 'provider', 'settings'])
      .where('secrets_enc', 'is', null).where('provider', '<>', 'scripted').execute();
    let changed = 0;
    for (const row of rows) {
      const split = splitSecrets((row.settings ?? {}) as Record<string, unknown>);
      if (split.entries.length === 0) continue;
      const u = await this.db.updateTable('models')
        .set({ settings: JSON.stringify(split.settings), secrets_enc: sealEntries(box, split.entries) })
        .where('id', '=', row.id).where('secrets_enc', 'is', null).executeTakeFirst();
      changed += Number(u.numUpdatedRows);
    }
    return changed;
  }

  /** Creates a model (`name_taken` when the name exists). */
  async create(input: ModelInput): Promise<Model> {
    const sealed = this.seal({ settings: input.settings ?? {}, api_key: input.api_key }, input.provider, []);
    try {
      const row = await this.db.insertInto('models').values({
        id: newId('mdl'), name: input.name, provider: input.provider, model: input.model, base_url: input.base_url ?? null,
        settings: sealed.settings, secrets_enc: sealed.secrets ?? null, api_key_enc: sealed.key ?? null, api_key_hint: sealed.hint ?? null,
      }).returning(COLUMNS).executeTakeFirstOrThrow();
      return toModel(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
  }

  /** Updates the given fields (absent ones keep their value); `not_found` / `name_taken`. */
  async update(id: string, patch: Partial<ModelInput>): Promise<Model> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const cur = await trx.selectFrom('models').select(['provider', 'secrets_enc']).where('id', '=', id).forUpdate().executeTakeFirst();
        if (!cur) throw notFound(id);
        const previous = cur.secrets_enc && this.box ? openEntries(this.box, cur.secrets_enc) : [];
        const s = this.seal(patch, patch.provider ?? cur.provider, previous);
        const set: Updateable<Models> = {};
        if (patch.name != null) set.name = patch.name;
        if (patch.provider != null) set.provider = patch.provider;
        if (patch.model != null) set.model = patch.model;
        if (patch.base_url !== undefined) set.base_url = patch.base_url;
        if (s.settings !== undefined) {
          set.settings = s.settings;
          set.secrets_enc = s.secrets ?? null;
        }
        if (s.key !== undefined) {
          set.api_key_enc = s.key;
          set.api_key_hint = s.hint ?? null;
        }
        const row = await trx.updateTable('models').set({ ...set, updated_at: sql<string>`now()` }).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();
        return toModel(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(patch.name ?? '');
      throw err;
    }
  }

  async find(id: string): Promise<Model | undefined> {
    const row = await this.db.selectFrom('models').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toModel(row) : undefined;
  }

  /** Like {@link find}, but `not_found` when missing. */
  async get(id: string): Promise<Model> {
    const m = await this.find(id);
    if (!m) throw notFound(id);
    return m;
  }

  async findByName(name: string): Promise<Model | undefined> {
    const row = await this.db.selectFrom('models').select(COLUMNS).where('name', '=', name).executeTakeFirst();
    return row ? toModel(row) : undefined;
  }

  /** Every registered model name (for save-time `model_unknown` checks). */
  async names(): Promise<string[]> {
    const rows = await this.db.selectFrom('models').select('name').orderBy('name').execute();
    return rows.map((row) => row.name);
  }

  /** Lists models: `q` (case-insensitive substring of the name), `provider`, `sort`, `order`, `page`, `per_page`. */
  async list(raw: Record<string, unknown> = {}): Promise<ListResult<Model>> {
    const p = parseListParams(raw, { sorts: MODEL_SORTS, defaultSort: 'name', defaultOrder: { '*': 'asc', updated_at: 'desc' } });
    const providerRaw = raw.provider;
    if (providerRaw !== undefined && typeof providerRaw !== 'string') {
      throw new LlmctlError('validation_failed', 'provider must be given once, as a string', { errors: [{ path: 'provider', message: 'must be a string' }] });
    }
    const provider = providerRaw ? providerRaw : null;
    const [rows, count] = await Promise.all([
      this.db.selectFrom('models').select(COLUMNS).where((eb) => listFilter(eb, p.q, provider))
        .orderBy(SORT_SQL[p.sort], p.order).orderBy(lowerName, p.order).orderBy('id', p.order).limit(p.per_page).offset(offsetOf(p)).execute(),
      this.db.selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => listFilter(eb, p.q, provider)).executeTakeFirst(),
    ]);
    return { items: rows.map(toModel), page: { page: p.page, per_page: p.per_page, total: count?.n ?? 0 } };
  }

  /**
   * Deletes a model. Refused with `conflict` (details.flowcharts: `[{ id, name }]`) while the latest version of a
   * flowchart names it; `not_found` when it does not exist.
   */
  async delete(id: string): Promise<Model> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('models').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notFound(id);
      const users = await new FlowchartRepository(this.pool).findUsingModel(row.name, trx);
      if (users.length > 0) {
        throw new LlmctlError('conflict', `The model "${row.name}" is used by ${users.length} flowchart(s); change them first.`,
          { model_id: id, name: row.name, flowcharts: users });
      }
      await trx.deleteFrom('models').where('id', '=', id).execute();
      return toModel(row);
    });
  }
}
