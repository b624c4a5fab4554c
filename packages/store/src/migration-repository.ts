/**
 * Legacy llmctl migration state (migrations/0008_legacy_migrations.sql): stored reports, the legacy id → flowchart
 * mapping (idempotent re-import), apply and rollback (each one transaction), rehearsals and the cutover checklist.
 * Reports are opaque JSON here (their shape belongs to @llmctl/migrate).
 */
import type pg from 'pg';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { LlmctlError, type FlowchartDocument } from '@llmctl/contracts';
import { newId } from './ids.ts';
import { parseListParams, offsetOf, type ListResult } from './list-params.ts';
import { kyselyOf, type StoreDb } from './db/kysely.ts';
import type { DB } from './db/schema.ts';
import { RUNTIME_SETTINGS_CHANNEL } from './settings-repository.ts';

/** What the repository needs of a report. */
export interface StorableReport {
  source: { legacy_id: number; name: string };
  compatibility_gate: { status: 'ready' | 'blocked' };
  document: FlowchartDocument;
  rollback: { pre_migration_hash: string | null; [k: string]: unknown };
  apply: unknown;
  [k: string]: unknown;
}

/** A stored report row (list view: without the report body). */
export interface MigrationReportSummary {
  id: string;
  batch_id: string;
  legacy_id: number;
  name: string;
  status: 'ready' | 'blocked';
  flowchart_id: string | null;
  applied_version: number | null;
  applied_at: string | null;
  rolled_back_at: string | null;
  created_at: string;
}

/** A stored report with its body. */
export interface StoredMigrationReport<R = StorableReport> extends MigrationReportSummary {
  report: R;
  previous_version: number | null;
  created_flowchart: boolean;
}

/** One entry of the cutover checklist. */
export interface CutoverEntry {
  flowchart_id: string;
  legacy_id: number;
  name: string;
  /** The flowchart's latest version (a rehearsal of an older version does not count). */
  latest_version: number;
  latest_report_id: string | null;
  latest_status: 'ready' | 'blocked' | null;
  rehearsal: { run_id: string | null; status: string; flowchart_version: number; rehearsed_at: string } | null;
}

type R = ExpressionBuilder<DB, 'migration_reports'>;

/** The columns of {@link MigrationReportSummary}. */
const SUMMARY = [
  'id', 'batch_id', sql<number>`legacy_id::int`.as('legacy_id'), 'name', sql<MigrationReportSummary['status']>`status`.as('status'),
  'flowchart_id', 'applied_version', 'applied_at', 'rolled_back_at', 'created_at',
] as const;
/** The columns of {@link StoredMigrationReport}. */
const STORED = [...SUMMARY, sql<StorableReport>`report`.as('report'), 'previous_version', 'created_flowchart'] as const;
export const MIGRATION_REPORT_SORTS = ['created_at', 'name', 'legacy_id'] as const;

/** Reports whose name holds `q` (case-insensitive) and whose status is `status` (no filter for an absent one). */
function reportFilter(eb: R, q: string | undefined, status: string | null): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (q !== undefined) terms.push(eb(sql<number>`strpos(lower(name), lower(${q}))`, '>', 0));
  if (status !== null) terms.push(eb('status', '=', status));
  return eb.and(terms);
}

/** Inserts `document` as `version` of flowchart `id` and makes it the latest (name and description from it). */
async function saveAsVersion(trx: StoreDb, flowchartId: string, version: number, doc: FlowchartDocument): Promise<void> {
  await trx.insertInto('flowchart_versions').values({ flowchart_id: flowchartId, version, document: JSON.stringify(doc), warnings: '[]' }).execute();
  await trx.updateTable('flowcharts').set({ name: doc.name, description: doc.description ?? null, latest_version: version, updated_at: sql<string>`now()` })
    .where('id', '=', flowchartId).execute();
}

/** Reports, imports, rehearsals. */
export class MigrationRepository {
  constructor(private readonly pool: pg.Pool) {}

  private get db(): StoreDb {
    return kyselyOf(this.pool);
  }

  /** Stores a dry-run (or blocked) report; returns its id. */
  async saveReport(batchId: string, report: StorableReport): Promise<string> {
    const id = newId('mig');
    await this.db.insertInto('migration_reports').values({
      id, batch_id: batchId, legacy_id: report.source.legacy_id, name: report.source.name, status: report.compatibility_gate.status,
      report: JSON.stringify({ ...report, id }),
    }).execute();
    return id;
  }

  /** The flowchart a legacy id was imported as, with its latest document (undefined when never imported). */
  async importedAs(legacyId: number, db: StoreDb = this.db): Promise<{ flowchart_id: string; version: number; document: FlowchartDocument } | undefined> {
    const row = await db.selectFrom('legacy_imports as i').innerJoin('flowcharts as f', 'f.id', 'i.flowchart_id')
      .innerJoin('flowchart_versions as v', (j) => j.onRef('v.flowchart_id', '=', 'f.id').onRef('v.version', '=', 'f.latest_version'))
      .select(['i.flowchart_id', 'f.latest_version as version', 'v.document']).where('i.legacy_id', '=', legacyId).executeTakeFirst();
    return row && { ...row, document: row.document as unknown as FlowchartDocument };
  }

  /**
   * Applies a ready report in one transaction: creates the flowchart (first import of the legacy id) or saves a new
   * version of the flowchart imported before; stores the report with `apply` and `rollback.pre_migration_hash`
   * filled; turns `agent_runtime_cutover_enabled` off the first time anything is applied.
   */
  async apply(batchId: string, report: StorableReport, hash: (doc: FlowchartDocument) => string): Promise<StoredMigrationReport> {
    const id = newId('mig');
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${'legacy_import'}), ${report.source.legacy_id % 2_147_483_647}::int)`.execute(trx);
      const prev = await this.importedAs(report.source.legacy_id, trx);
      let flowchartId: string;
      let version: number;
      if (prev) {
        flowchartId = prev.flowchart_id;
        version = prev.version + 1;
        await saveAsVersion(trx, flowchartId, version, report.document);
      } else {
        flowchartId = newId('fc');
        version = 1;
        await trx.insertInto('flowcharts').values({ id: flowchartId, name: report.document.name, description: report.document.description ?? null, latest_version: 1 }).execute();
        await trx.insertInto('flowchart_versions').values({ flowchart_id: flowchartId, version: 1, document: JSON.stringify(report.document), warnings: '[]' }).execute();
        await trx.insertInto('legacy_imports').values({ legacy_id: report.source.legacy_id, flowchart_id: flowchartId }).execute();
      }
      const appliedAt = new Date().toISOString();
      const stored = {
        ...report, id,
        rollback: { ...report.rollback, pre_migration_hash: prev ? hash(prev.document) : null },
        apply: { applied: true, flowchart_id: flowchartId, version, applied_at: appliedAt },
      };
      await trx.insertInto('migration_reports').values({
        id, batch_id: batchId, legacy_id: report.source.legacy_id, name: report.source.name, status: 'ready', report: JSON.stringify(stored),
        flowchart_id: flowchartId, applied_version: version, previous_version: prev ? prev.version : null, created_flowchart: !prev, applied_at: appliedAt,
      }).execute();
      const state = await trx.selectFrom('migration_state').select('cutover_initialized').where('id', '=', 1).forUpdate().executeTakeFirst();
      if (!state?.cutover_initialized) {
        await trx.insertInto('migration_state').values({ id: 1, cutover_initialized: true })
          .onConflict((oc) => oc.column('id').doUpdateSet({ cutover_initialized: true })).execute();
        await trx.insertInto('runtime_settings').values({ id: 1, settings: '{}' }).onConflict((oc) => oc.column('id').doNothing()).execute();
        await trx.updateTable('runtime_settings')
          .set({ settings: sql<string>`jsonb_set(settings, '{agent_runtime_cutover_enabled}', 'false')`, updated_at: sql<string>`now()` })
          .where('id', '=', 1).execute();
        // Like every settings save: processes that keep the runtime settings forget them when this commits.
        await sql`SELECT pg_notify(${RUNTIME_SETTINGS_CHANNEL}, 'saved')`.execute(trx);
      }
      return (await this.get(id, trx))!;
    });
  }

  /** A stored report, or undefined. */
  async get(id: string, db: StoreDb = this.db): Promise<StoredMigrationReport | undefined> {
    return db.selectFrom('migration_reports').select(STORED).where('id', '=', id).executeTakeFirst();
  }

  /** Lists stored reports (newest first by default); `q` matches the name, `status` filters. */
  async list(raw: Record<string, unknown> = {}): Promise<ListResult<MigrationReportSummary>> {
    const p = parseListParams(raw, { sorts: MIGRATION_REPORT_SORTS, defaultSort: 'created_at', defaultOrder: { '*': 'desc', name: 'asc' } });
    const status = raw.status === 'ready' || raw.status === 'blocked' ? raw.status : null;
    const [items, count] = await Promise.all([
      this.db.selectFrom('migration_reports').select(SUMMARY).where((eb) => reportFilter(eb, p.q, status))
        .orderBy(p.sort, p.order).orderBy('id', p.order).limit(p.per_page).offset(offsetOf(p)).execute(),
      this.db.selectFrom('migration_reports').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => reportFilter(eb, p.q, status)).executeTakeFirst(),
    ]);
    return { items, page: { page: p.page, per_page: p.per_page, total: count?.n ?? 0 } };
  }

  /**
   * Rolls back an applied report in one transaction: restores the version before the apply as a new version (its
   * document, so its hash equals `pre_migration_hash`) or deletes the flowchart the apply created (there is no
   * archive: its reports keep the document). Only the latest applied report of a flowchart can be rolled back.
   */
  async rollback(id: string): Promise<{ report_id: string; action: 'restored' | 'deleted'; flowchart_id: string; version: number | null; document: FlowchartDocument | null }> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('migration_reports').select(STORED).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!r) throw new LlmctlError('not_found', `No migration report ${id}.`, { id });
      if (!r.applied_at || !r.flowchart_id) throw new LlmctlError('migration_not_applicable', 'This report was never applied.', { id, reason: 'not_applied' });
      if (r.rolled_back_at) throw new LlmctlError('migration_not_applicable', 'This report was already rolled back.', { id, reason: 'already_rolled_back' });
      const latest = await trx.selectFrom('migration_reports').select('id')
        .where('flowchart_id', '=', r.flowchart_id).where('applied_at', 'is not', null).where('rolled_back_at', 'is', null)
        .orderBy('applied_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (latest?.id !== id) throw new LlmctlError('migration_not_applicable', 'A later apply of this flowchart must be rolled back first.', { id, reason: 'not_latest', latest_report_id: latest?.id });
      await trx.updateTable('migration_reports').set({ rolled_back_at: sql<string>`now()` }).where('id', '=', id).execute();
      if (r.created_flowchart) {
        const active = await trx.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).where('flowchart_id', '=', r.flowchart_id)
          .where('status', 'in', ['queued', 'running', 'pausing', 'paused', 'canceling'].map((st) => sql.lit(st))).executeTakeFirst();
        if ((active?.n ?? 0) > 0) throw new LlmctlError('conflict', 'The flowchart has active runs; cancel them before rolling back.', { active_runs: active!.n });
        await trx.deleteFrom('flowcharts').where('id', '=', r.flowchart_id).execute();
        return { report_id: id, action: 'deleted' as const, flowchart_id: r.flowchart_id, version: null, document: null };
      }
      const prev = await trx.selectFrom('flowchart_versions').select('document')
        .where('flowchart_id', '=', r.flowchart_id).where('version', '=', sql<number>`${r.previous_version}`).executeTakeFirst();
      const cur = await trx.selectFrom('flowcharts').select('latest_version').where('id', '=', r.flowchart_id).forUpdate().executeTakeFirst();
      if (!prev || !cur) throw new LlmctlError('migration_not_applicable', 'The flowchart or its previous version no longer exists.', { id, reason: 'flowchart_gone' });
      const version = cur.latest_version + 1;
      const doc = prev.document as unknown as FlowchartDocument;
      await saveAsVersion(trx, r.flowchart_id, version, doc);
      return { report_id: id, action: 'restored' as const, flowchart_id: r.flowchart_id, version, document: doc };
    });
  }

  /** True when the flowchart was imported from llmctl. */
  async isImported(flowchartId: string): Promise<boolean> {
    const row = await this.db.selectFrom('legacy_imports').select('flowchart_id').where('flowchart_id', '=', flowchartId).executeTakeFirst();
    return row !== undefined;
  }

  /** Every imported flowchart with its legacy id's latest report and its latest rehearsal. */
  async checklist(): Promise<CutoverEntry[]> {
    const rows = await this.db.selectFrom('legacy_imports as i').innerJoin('flowcharts as f', 'f.id', 'i.flowchart_id')
      .leftJoinLateral((eb) => eb.selectFrom('migration_reports as m').select(['id', 'status'])
        .whereRef('m.legacy_id', '=', 'i.legacy_id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).as('lr'), (j) => j.onTrue())
      .leftJoin('migration_rehearsals as h', 'h.flowchart_id', 'i.flowchart_id')
      .select(['i.flowchart_id', sql<number>`i.legacy_id::int`.as('legacy_id'), 'f.name', 'f.latest_version', 'lr.id as latest_report_id',
        sql<CutoverEntry['latest_status']>`lr.status`.as('latest_status'),
        'h.run_id as r_run', 'h.status as r_status', 'h.flowchart_version as r_version', 'h.rehearsed_at as r_at'])
      .orderBy('i.legacy_id').execute();
    return rows.map(({ r_run, r_status, r_version, r_at, ...e }) => ({
      ...e, rehearsal: r_status ? { run_id: r_run, status: r_status, flowchart_version: r_version!, rehearsed_at: r_at! } : null,
    }));
  }

  /** Records the rehearsal result of an imported flowchart (the latest one counts). */
  async recordRehearsal(flowchartId: string, version: number, runId: string | null, status: string, error: unknown): Promise<void> {
    const errorJson = error === undefined || error === null ? null : JSON.stringify(error);
    await this.db.insertInto('migration_rehearsals').values({ flowchart_id: flowchartId, flowchart_version: version, run_id: runId, status, error: errorJson })
      .onConflict((oc) => oc.column('flowchart_id').doUpdateSet({
        flowchart_version: version, run_id: runId, status, error: errorJson, rehearsed_at: sql<string>`now()`,
      })).execute();
  }
}
