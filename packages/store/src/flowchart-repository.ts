import type pg from 'pg';
import { ACTIVE_RUN_STATUSES, LlmctlError, type FlowchartDocument, type ValidationIssue } from '@llmctl/contracts';
import { newId } from './ids.ts';
import { offsetOf, parseListParams, type ListResult } from './list-params.ts';
import { withTransaction } from './pool.ts';

/** A flowchart at one version (api.md "Main shapes"). */
export interface Flowchart {
  id: string;
  version: number;
  latest_version: number;
  name: string;
  description: string | null;
  document: FlowchartDocument;
  warnings: ValidationIssue[];
  created_at: string;
  /** When this version was saved. */
  updated_at: string;
}

/** One entry of a flowchart's version history. */
export interface FlowchartVersionInfo {
  version: number;
  name: string;
  warnings_count: number;
  created_at: string;
}

/** The server-side draft of a flowchart: a working copy that may be invalid, apart from the numbered versions. */
export interface FlowchartDraft {
  flowchart_id: string;
  document: unknown;
  updated_at: string;
}

/** Sort fields of the flowchart list. */
export const FLOWCHART_SORTS = ['name', 'created_at', 'updated_at'] as const;
export type FlowchartSort = (typeof FLOWCHART_SORTS)[number];

const SORT_SQL: Record<FlowchartSort, string> = { name: 'lower(f.name)', created_at: 'f.created_at', updated_at: 'f.updated_at' };

interface FlowchartRow {
  id: string;
  version: number;
  latest_version: number;
  document: FlowchartDocument;
  warnings: ValidationIssue[];
  created_at: string;
  updated_at: string;
}

const SELECT = `SELECT f.id, v.version, f.latest_version, v.document, v.warnings, f.created_at, v.created_at AS updated_at
  FROM flowcharts f JOIN flowchart_versions v ON v.flowchart_id = f.id`;

function toFlowchart(r: FlowchartRow): Flowchart {
  const doc = r.document as FlowchartDocument & { name?: unknown; description?: unknown };
  return {
    id: r.id, version: r.version, latest_version: r.latest_version,
    name: typeof doc.name === 'string' ? doc.name : '', description: typeof doc.description === 'string' ? doc.description : null,
    document: r.document, warnings: r.warnings, created_at: r.created_at, updated_at: r.updated_at,
  };
}

function nameOf(doc: FlowchartDocument): { name: string; description: string | null } {
  const d = doc as { name?: unknown; description?: unknown };
  return { name: typeof d.name === 'string' ? d.name : '', description: typeof d.description === 'string' ? d.description : null };
}

/** Flowcharts and their immutable versions. Documents are validated by the caller before they get here. */
export class FlowchartRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Creates a flowchart at version 1. */
  async create(input: { document: FlowchartDocument; warnings?: ValidationIssue[]; id?: string }): Promise<Flowchart> {
    const id = input.id ?? newId('fc');
    const { name, description } = nameOf(input.document);
    await withTransaction(this.pool, async (c) => {
      await c.query('INSERT INTO flowcharts (id, name, description, latest_version) VALUES ($1, $2, $3, 1)', [id, name, description]);
      await c.query('INSERT INTO flowchart_versions (flowchart_id, version, document, warnings) VALUES ($1, 1, $2, $3)',
        [id, JSON.stringify(input.document), JSON.stringify(input.warnings ?? [])]);
    });
    return this.get(id);
  }

  /** Saves `document` as the next version of flowchart `id` (`not_found` when it does not exist). */
  async saveVersion(id: string, input: { document: FlowchartDocument; warnings?: ValidationIssue[] }): Promise<Flowchart> {
    const { name, description } = nameOf(input.document);
    const version = await withTransaction(this.pool, async (c) => {
      const cur = await c.query<{ latest_version: number }>('SELECT latest_version FROM flowcharts WHERE id = $1 FOR UPDATE', [id]);
      const row = cur.rows[0];
      if (!row) throw notFound(id);
      const next = row.latest_version + 1;
      await c.query('INSERT INTO flowchart_versions (flowchart_id, version, document, warnings) VALUES ($1, $2, $3, $4)',
        [id, next, JSON.stringify(input.document), JSON.stringify(input.warnings ?? [])]);
      await c.query('UPDATE flowcharts SET name = $2, description = $3, latest_version = $4, updated_at = now() WHERE id = $1',
        [id, name, description, next]);
      return next;
    });
    return this.get(id, version);
  }

  /** The flowchart at `version` (default: latest), or undefined. */
  async find(id: string, version?: number): Promise<Flowchart | undefined> {
    if (version !== undefined && !(Number.isInteger(version) && version >= 1 && version <= 2_147_483_647)) return undefined;
    const r = await this.pool.query<FlowchartRow>(`${SELECT} AND v.version = COALESCE($2::int, f.latest_version) WHERE f.id = $1`,
      [id, version ?? null]);
    return r.rows[0] ? toFlowchart(r.rows[0]) : undefined;
  }

  /** Like {@link find}, but `not_found` when missing. */
  async get(id: string, version?: number): Promise<Flowchart> {
    const f = await this.find(id, version);
    if (!f) throw notFound(id, version);
    return f;
  }

  /** Latest documents of the given ids (missing ids are absent from the map). */
  async latestDocuments(ids: readonly string[]): Promise<Map<string, FlowchartDocument>> {
    if (ids.length === 0) return new Map();
    const r = await this.pool.query<{ id: string; document: FlowchartDocument }>(
      `SELECT f.id, v.document FROM flowcharts f JOIN flowchart_versions v ON v.flowchart_id = f.id AND v.version = f.latest_version
        WHERE f.id = ANY($1::text[])`, [ids]);
    return new Map(r.rows.map((row) => [row.id, row.document]));
  }

  /** Lists latest versions: `q` (case-insensitive substring of the name), `sort`, `order`, `page`, `per_page`. */
  async list(raw: Record<string, unknown> = {}): Promise<ListResult<Flowchart>> {
    const p = parseListParams(raw, { sorts: FLOWCHART_SORTS, defaultSort: 'updated_at', defaultOrder: { '*': 'desc', name: 'asc' } });
    const where = 'WHERE ($1::text IS NULL OR strpos(lower(f.name), lower($1)) > 0)';
    const dir = p.order === 'asc' ? 'ASC' : 'DESC';
    const [rows, count] = await Promise.all([
      this.pool.query<FlowchartRow>(`${SELECT} AND v.version = f.latest_version ${where}
        ORDER BY ${SORT_SQL[p.sort]} ${dir}, f.id ${dir} LIMIT $2 OFFSET $3`, [p.q ?? null, p.per_page, offsetOf(p)]),
      this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM flowcharts f ${where}`, [p.q ?? null]),
    ]);
    return { items: rows.rows.map(toFlowchart), page: { page: p.page, per_page: p.per_page, total: count.rows[0]?.n ?? 0 } };
  }

  /** Version history, newest first, paged (`not_found` for an unknown flowchart). */
  async listVersions(id: string, raw: Record<string, unknown> = {}): Promise<ListResult<FlowchartVersionInfo>> {
    const p = parseListParams(raw, { sorts: ['version'] as const, defaultSort: 'version', defaultOrder: 'desc' });
    const head = await this.pool.query<{ latest_version: number }>('SELECT latest_version FROM flowcharts WHERE id = $1', [id]);
    if (!head.rows[0]) throw notFound(id);
    const dir = p.order === 'asc' ? 'ASC' : 'DESC';
    const r = await this.pool.query<FlowchartVersionInfo>(
      `SELECT version, coalesce(document->>'name', '') AS name, jsonb_array_length(warnings) AS warnings_count, created_at
         FROM flowchart_versions WHERE flowchart_id = $1 ORDER BY version ${dir} LIMIT $2 OFFSET $3`, [id, p.per_page, offsetOf(p)]);
    return { items: r.rows, page: { page: p.page, per_page: p.per_page, total: head.rows[0].latest_version } };
  }

  /**
   * Deletes a flowchart with its versions and finished runs. Refused with `conflict` (details.active_runs) while it
   * has runs in queued/running/pausing/paused/canceling; `not_found` when it does not exist.
   */
  async delete(id: string): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      const cur = await c.query('SELECT 1 FROM flowcharts WHERE id = $1 FOR UPDATE', [id]);
      if (cur.rowCount === 0) throw notFound(id);
      const active = await c.query<{ id: string; status: string }>(
        'SELECT id, status FROM runs WHERE flowchart_id = $1 AND status = ANY($2::text[]) ORDER BY created_at LIMIT 50',
        [id, ACTIVE_RUN_STATUSES]);
      if (active.rows.length > 0) {
        throw new LlmctlError('conflict', `The flowchart has ${active.rows.length} active run(s); cancel them or wait until they end.`,
          { flowchart_id: id, active_runs: active.rows });
      }
      await c.query('DELETE FROM flowcharts WHERE id = $1', [id]);
    });
  }

  /** Flowcharts whose latest version names `model` in any node's `config.model`. */
  async findUsingModel(model: string, q: Pick<pg.Pool, 'query'> = this.pool): Promise<{ id: string; name: string }[]> {
    const r = await q.query<{ id: string; name: string }>(
      `SELECT f.id, f.name FROM flowcharts f
         JOIN flowchart_versions v ON v.flowchart_id = f.id AND v.version = f.latest_version
        WHERE jsonb_path_exists(v.document, '$.nodes[*].config.model ? (@ == $name)', jsonb_build_object('name', $1::text))
        ORDER BY lower(f.name), f.id`, [model]);
    return r.rows;
  }

  /**
   * Stores the server-side draft of flowchart `id` (one per flowchart, replaced on each save; `not_found` for an
   * unknown flowchart). A draft is any JSON object, valid or not; it is no version and never runs.
   */
  async saveDraft(id: string, document: unknown): Promise<FlowchartDraft> {
    const r = await this.pool.query<FlowchartDraft>(
      `INSERT INTO flowchart_drafts (flowchart_id, document) SELECT id, $2 FROM flowcharts WHERE id = $1
         ON CONFLICT (flowchart_id) DO UPDATE SET document = EXCLUDED.document, updated_at = now()
       RETURNING flowchart_id, document, updated_at`, [id, JSON.stringify(document)]);
    if (!r.rows[0]) throw notFound(id);
    return r.rows[0];
  }

  /** The draft of flowchart `id`; `not_found` (details.draft = true) when it has none. */
  async getDraft(id: string): Promise<FlowchartDraft> {
    const r = await this.pool.query<FlowchartDraft>('SELECT flowchart_id, document, updated_at FROM flowchart_drafts WHERE flowchart_id = $1', [id]);
    if (!r.rows[0]) throw new LlmctlError('not_found', `Flowchart ${id} has no draft.`, { flowchart_id: id, draft: true });
    return r.rows[0];
  }

  /** Removes the draft of flowchart `id`; resolves whether there was one. */
  async deleteDraft(id: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM flowchart_drafts WHERE flowchart_id = $1', [id]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Number of flowcharts. */
  async count(): Promise<number> {
    const r = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM flowcharts');
    return r.rows[0]?.n ?? 0;
  }
}

function notFound(id: string, version?: number): LlmctlError {
  return version === undefined
    ? new LlmctlError('not_found', `No flowchart ${id}.`, { flowchart_id: id })
    : new LlmctlError('not_found', `No version ${version} of flowchart ${id}.`, { flowchart_id: id, version });
}
