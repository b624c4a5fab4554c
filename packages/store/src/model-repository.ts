import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { newId } from './ids.ts';
import { offsetOf, parseListParams, type ListResult } from './list-params.ts';
import { withTransaction } from './pool.ts';
import { FlowchartRepository } from './flowchart-repository.ts';

/** A model registry entry (api.md "Main shapes"); scripted models are labelled as offline. */
export interface Model {
  id: string;
  name: string;
  provider: string;
  model: string;
  base_url: string | null;
  settings: Record<string, unknown>;
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
}

export const MODEL_SORTS = ['name', 'provider', 'updated_at'] as const;
export type ModelSort = (typeof MODEL_SORTS)[number];
const SORT_SQL: Record<ModelSort, string> = { name: 'lower(name)', provider: 'provider', updated_at: 'updated_at' };

type ModelRow = Omit<Model, 'offline' | 'label'>;

const COLUMNS = 'id, name, provider, model, base_url, settings, created_at, updated_at';

/** Row → API shape. */
export function toModel(r: ModelRow): Model {
  const m: Model = { ...r };
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

function notFound(id: string): LlmctlError {
  return new LlmctlError('not_found', `No model ${id}.`, { model_id: id });
}

/** The model registry. Task nodes name models by `name`, which is unique. */
export class ModelRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Creates a model (`name_taken` when the name exists). */
  async create(input: ModelInput): Promise<Model> {
    try {
      const r = await this.pool.query<ModelRow>(
        `INSERT INTO models (id, name, provider, model, base_url, settings) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [newId('mdl'), input.name, input.provider, input.model, input.base_url ?? null, JSON.stringify(input.settings ?? {})]);
      return toModel(r.rows[0]!);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
  }

  /** Updates the given fields (absent ones keep their value); `not_found` / `name_taken`. */
  async update(id: string, patch: Partial<ModelInput>): Promise<Model> {
    try {
      const r = await this.pool.query<ModelRow>(
        `UPDATE models SET name = COALESCE($2, name), provider = COALESCE($3, provider), model = COALESCE($4, model),
                base_url = CASE WHEN $5::boolean THEN $6 ELSE base_url END, settings = COALESCE($7::jsonb, settings), updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, patch.name ?? null, patch.provider ?? null, patch.model ?? null, patch.base_url !== undefined, patch.base_url ?? null,
          patch.settings === undefined ? null : JSON.stringify(patch.settings)]);
      if (!r.rows[0]) throw notFound(id);
      return toModel(r.rows[0]);
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
      const users = await new FlowchartRepository(this.pool).findUsingModel(row.name, c);
      if (users.length > 0) {
        throw new LlmctlError('conflict', `The model "${row.name}" is used by ${users.length} flowchart(s); change them first.`,
          { model_id: id, name: row.name, flowcharts: users });
      }
      await c.query('DELETE FROM models WHERE id = $1', [id]);
      return toModel(row);
    });
  }
}
