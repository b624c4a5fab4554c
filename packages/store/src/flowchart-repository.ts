import type pg from 'pg';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { ACTIVE_RUN_STATUSES, LlmctlError, type FlowchartDocument, type ValidationIssue } from '@llmctl/contracts';
import { newId } from './ids.ts';
import { offsetOf, parseListParams, type ListResult } from './list-params.ts';
import { anyText, kyselyOf, type StoreDb } from './db/kysely.ts';
import type { DB } from './db/schema.ts';

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

type F = ExpressionBuilder<DB & { f: DB['flowcharts'] }, 'f'>;

const SORT_SQL: Record<FlowchartSort, (eb: F) => Expression<unknown>> = {
  name: (eb) => eb.fn('lower', ['f.name']), created_at: (eb) => eb.ref('f.created_at'), updated_at: (eb) => eb.ref('f.updated_at'),
};

/** `q` as a case-insensitive substring of the name (no filter without `q`). */
function nameMatches(eb: F, q: string | undefined): Expression<SqlBool> {
  return q === undefined ? eb.lit(true) : eb(sql<number>`strpos(lower(f.name), lower(${q}))`, '>', 0);
}

/** A selected row (jsonb columns as the generated `Json`; the documents stored are validated flowcharts). */
interface FlowchartRow {
  id: string;
  version: number;
  latest_version: number;
  document: unknown;
  warnings: unknown;
  created_at: string;
  updated_at: string;
}

/** Flowcharts joined to one version each: `version`, or the latest when undefined. */
function selectFlowcharts(db: StoreDb, version?: number) {
  return db.selectFrom('flowcharts as f')
    .innerJoin('flowchart_versions as v', (j) => {
      const on = j.onRef('v.flowchart_id', '=', 'f.id');
      return version === undefined ? on.onRef('v.version', '=', 'f.latest_version') : on.on('v.version', '=', version);
    })
    .select(['f.id', 'v.version', 'f.latest_version', 'v.document', 'v.warnings', 'f.created_at', 'v.created_at as updated_at']);
}

function toFlowchart(r: FlowchartRow): Flowchart {
  const doc = r.document as { name?: unknown; description?: unknown };
  return {
    id: r.id, version: r.version, latest_version: r.latest_version,
    name: typeof doc.name === 'string' ? doc.name : '', description: typeof doc.description === 'string' ? doc.description : null,
    document: r.document as FlowchartDocument, warnings: r.warnings as ValidationIssue[], created_at: r.created_at, updated_at: r.updated_at,
  };
}

function nameOf(doc: FlowchartDocument): { name: string; description: string | null } {
  const d = doc as { name?: unknown; description?: unknown };
  return { name: typeof d.name === 'string' ? d.name : '', description: typeof d.description === 'string' ? d.description : null };
}

/** Flowcharts and their immutable versions. Documents are validated by the caller before they get here. */
export class FlowchartRepository {
  constructor(private readonly pool: pg.Pool) {}

  private get db(): StoreDb {
    return kyselyOf(this.pool);
  }

  /** Creates a flowchart at version 1. */
  async create(input: { document: FlowchartDocument; warnings?: ValidationIssue[]; id?: string }): Promise<Flowchart> {
    const id = input.id ?? newId('fc');
    const { name, description } = nameOf(input.document);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('flowcharts').values({ id, name, description, latest_version: 1 }).execute();
      await trx.insertInto('flowchart_versions')
        .values({ flowchart_id: id, version: 1, document: JSON.stringify(input.document), warnings: JSON.stringify(input.warnings ?? []) }).execute();
    });
    return this.get(id);
  }

  /** Saves `document` as the next version of flowchart `id` (`not_found` when it does not exist). */
  async saveVersion(id: string, input: { document: FlowchartDocument; warnings?: ValidationIssue[] }): Promise<Flowchart> {
    const { name, description } = nameOf(input.document);
    const version = await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('flowcharts').select('latest_version').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notFound(id);
      const next = row.latest_version + 1;
      await trx.insertInto('flowchart_versions')
        .values({ flowchart_id: id, version: next, document: JSON.stringify(input.document), warnings: JSON.stringify(input.warnings ?? []) }).execute();
      await trx.updateTable('flowcharts').set({ name, description, latest_version: next, updated_at: sql<string>`now()` }).where('id', '=', id).execute();
      return next;
    });
    return this.get(id, version);
  }

  /** The flowchart at `version` (default: latest), or undefined. */
  async find(id: string, version?: number): Promise<Flowchart | undefined> {
    if (version !== undefined && !(Number.isInteger(version) && version >= 1 && version <= 2_147_483_647)) return undefined;
    const row = await selectFlowcharts(this.db, version).where('f.id', '=', id).executeTakeFirst();
    return row ? toFlowchart(row) : undefined;
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
    const rows = await this.db.selectFrom('flowcharts as f')
      .innerJoin('flowchart_versions as v', (j) => j.onRef('v.flowchart_id', '=', 'f.id').onRef('v.version', '=', 'f.latest_version'))
      .select(['f.id', 'v.document']).where('f.id', '=', anyText(ids)).execute();
    return new Map(rows.map((row) => [row.id, row.document as unknown as FlowchartDocument]));
  }

  /** Lists latest versions: `q` (case-insensitive substring of the name), `sort`, `order`, `page`, `per_page`. */
  async list(raw: Record<string, unknown> = {}): Promise<ListResult<Flowchart>> {
    const p = parseListParams(raw, { sorts: FLOWCHART_SORTS, defaultSort: 'updated_at', defaultOrder: { '*': 'desc', name: 'asc' } });
    const [rows, count] = await Promise.all([
      selectFlowcharts(this.db).where((eb) => nameMatches(eb, p.q))
        .orderBy(SORT_SQL[p.sort], p.order).orderBy('f.id', p.order).limit(p.per_page).offset(offsetOf(p)).execute(),
      this.db.selectFrom('flowcharts as f').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => nameMatches(eb, p.q)).executeTakeFirst(),
    ]);
    return { items: rows.map(toFlowchart), page: { page: p.page, per_page: p.per_page, total: count?.n ?? 0 } };
  }

  /** Version history, newest first, paged (`not_found` for an unknown flowchart). */
  async listVersions(id: string, raw: Record<string, unknown> = {}): Promise<ListResult<FlowchartVersionInfo>> {
    const p = parseListParams(raw, { sorts: ['version'] as const, defaultSort: 'version', defaultOrder: 'desc' });
    const head = await this.db.selectFrom('flowcharts').select('latest_version').where('id', '=', id).executeTakeFirst();
    if (!head) throw notFound(id);
    const items = await this.db.selectFrom('flowchart_versions')
      .select((eb) => ['version', sql<string>`coalesce(document->>'name', '')`.as('name'),
        eb.fn<number>('jsonb_array_length', ['warnings']).as('warnings_count'), 'created_at'])
      .where('flowchart_id', '=', id).orderBy('version', p.order).limit(p.per_page).offset(offsetOf(p)).execute();
    return { items, page: { page: p.page, per_page: p.per_page, total: head.latest_version } };
  }

  /**
   * Deletes a flowchart with its versions and finished runs. Refused with `conflict` (details.active_runs) while it
   * has runs in queued/running/pausing/paused/canceling; `not_found` when it does not exist.
   */
  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom('flowcharts').select(sql<number>`1`.as('one')).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw notFound(id);
      const active = await trx.selectFrom('runs').select(['id', 'status'])
        .where('flowchart_id', '=', id).where('status', '=', anyText(ACTIVE_RUN_STATUSES)).orderBy('created_at').limit(50).execute();
      if (active.length > 0) {
        throw new LlmctlError('conflict', `The flowchart has ${active.length} active run(s); cancel them or wait until they end.`,
          { flowchart_id: id, active_runs: active });
      }
      await trx.deleteFrom('flowcharts').where('id', '=', id).execute();
    });
  }

  /** Flowcharts whose latest version names `model` in any node's `config.model` (on `db`: e.g. a caller's transaction). */
  async findUsingModel(model: string, db: StoreDb = this.db): Promise<{ id: string; name: string }[]> {
    return db.selectFrom('flowcharts as f')
      .innerJoin('flowchart_versions as v', (j) => j.onRef('v.flowchart_id', '=', 'f.id').onRef('v.version', '=', 'f.latest_version'))
      .select(['f.id', 'f.name'])
      .where(sql<boolean>`jsonb_path_exists(v.document, '$.nodes[*].config.model ? (@ == $name)', jsonb_build_object('name', ${model}::text))`)
      .orderBy((eb) => eb.fn('lower', ['f.name'])).orderBy('f.id').execute();
  }

  /**
   * Stores the server-side draft of flowchart `id` (one per flowchart, replaced on each save; `not_found` for an
   * unknown flowchart). A draft is any JSON object, valid or not; it is no version and never runs.
   */
  async saveDraft(id: string, document: unknown): Promise<FlowchartDraft> {
    const row = await this.db.insertInto('flowchart_drafts').columns(['flowchart_id', 'document'])
      .expression((eb) => eb.selectFrom('flowcharts').select(['id', eb.val(JSON.stringify(document)).as('document')]).where('id', '=', id))
      .onConflict((oc) => oc.column('flowchart_id').doUpdateSet({ document: (eb) => eb.ref('excluded.document'), updated_at: sql<string>`now()` }))
      .returning(['flowchart_id', 'document', 'updated_at']).executeTakeFirst();
    if (!row) throw notFound(id);
    return row;
  }

  /** The draft of flowchart `id`; `not_found` (details.draft = true) when it has none. */
  async getDraft(id: string): Promise<FlowchartDraft> {
    const row = await this.db.selectFrom('flowchart_drafts').select(['flowchart_id', 'document', 'updated_at']).where('flowchart_id', '=', id).executeTakeFirst();
    if (!row) throw new LlmctlError('not_found', `Flowchart ${id} has no draft.`, { flowchart_id: id, draft: true });
    return row;
  }

  /** Removes the draft of flowchart `id`; resolves whether there was one. */
  async deleteDraft(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('flowchart_drafts').where('flowchart_id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Number of flowcharts. */
  async count(): Promise<number> {
    const row = await this.db.selectFrom('flowcharts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return row?.n ?? 0;
  }
}

function notFound(id: string, version?: number): LlmctlError {
  return version === undefined
    ? new LlmctlError('not_found', `No flowchart ${id}.`, { flowchart_id: id })
    : new LlmctlError('not_found', `No version ${version} of flowchart ${id}.`, { flowchart_id: id, version });
}
