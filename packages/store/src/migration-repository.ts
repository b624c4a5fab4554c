/**
 * Legacy llmctl migration state (migrations/0008_legacy_migrations.sql): stored reports, the legacy id → flowchart
 * mapping (idempotent re-import), apply and rollback (each one transaction), rehearsals and the cutover checklist.
 * Reports are opaque JSON here (their shape belongs to @llmctl/migrate).
 */
import type pg from 'pg';
import { LlmctlError, type FlowchartDocument } from '@llmctl/contracts';
import { newId } from './ids.ts';
import { parseListParams, offsetOf, type ListResult } from './list-params.ts';
import { withTransaction } from './pool.ts';
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

const SUMMARY = `id, batch_id, legacy_id::int AS legacy_id, name, status, flowchart_id, applied_version, applied_at, rolled_back_at, created_at`;
export const MIGRATION_REPORT_SORTS = ['created_at', 'name', 'legacy_id'] as const;

/** Reports, imports, rehearsals. */
export class MigrationRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores a dry-run (or blocked) report; returns its id. */
  async saveReport(batchId: string, report: StorableReport): Promise<string> {
    const id = newId('mig');
    await this.pool.query('INSERT INTO migration_reports (id, batch_id, legacy_id, name, status, report) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, batchId, report.source.legacy_id, report.source.name, report.compatibility_gate.status, JSON.stringify({ ...report, id })]);
    return id;
  }

  /** The flowchart a legacy id was imported as, with its latest document (undefined when never imported). */
  async importedAs(legacyId: number, q: Pick<pg.Pool, 'query'> = this.pool): Promise<{ flowchart_id: string; version: number; document: FlowchartDocument } | undefined> {
    const r = await q.query<{ flowchart_id: string; version: number; document: FlowchartDocument }>(
      `SELECT i.flowchart_id, f.latest_version AS version, v.document FROM legacy_imports i JOIN flowcharts f ON f.id = i.flowchart_id
         JOIN flowchart_versions v ON v.flowchart_id = f.id AND v.version = f.latest_version WHERE i.legacy_id = $1`, [legacyId]);
    return r.rows[0];
  }

  /**
   * Applies a ready report in one transaction: creates the flowchart (first import of the legacy id) or saves a new
   * version of the flowchart imported before; stores the report with `apply` and `rollback.pre_migration_hash`
   * filled; turns `agent_runtime_cutover_enabled` off the first time anything is applied.
   */
  async apply(batchId: string, report: StorableReport, hash: (doc: FlowchartDocument) => string): Promise<StoredMigrationReport> {
    const id = newId('mig');
    return withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1), $2::int)', ['legacy_import', report.source.legacy_id % 2_147_483_647]);
      const prev = await this.importedAs(report.source.legacy_id, c);
      let flowchartId: string;
      let version: number;
      if (prev) {
        flowchartId = prev.flowchart_id;
        version = prev.version + 1;
        await c.query('INSERT INTO flowchart_versions (flowchart_id, version, document, warnings) VALUES ($1, $2, $3, $4)', [flowchartId, version, JSON.stringify(report.document), '[]']);
        await c.query('UPDATE flowcharts SET name = $2, description = $3, latest_version = $4, updated_at = now() WHERE id = $1',
          [flowchartId, report.document.name, report.document.description ?? null, version]);
      } else {
        flowchartId = newId('fc');
        version = 1;
        await c.query('INSERT INTO flowcharts (id, name, description, latest_version) VALUES ($1, $2, $3, 1)', [flowchartId, report.document.name, report.document.description ?? null]);
        await c.query('INSERT INTO flowchart_versions (flowchart_id, version, document, warnings) VALUES ($1, 1, $2, $3)', [flowchartId, JSON.stringify(report.document), '[]']);
        await c.query('INSERT INTO legacy_imports (legacy_id, flowchart_id) VALUES ($1, $2)', [report.source.legacy_id, flowchartId]);
      }
      const appliedAt = new Date().toISOString();
      const stored = {
        ...report, id,
        rollback: { ...report.rollback, pre_migration_hash: prev ? hash(prev.document) : null },
        apply: { applied: true, flowchart_id: flowchartId, version, applied_at: appliedAt },
      };
      await c.query(`INSERT INTO migration_reports (id, batch_id, legacy_id, name, status, report, flowchart_id, applied_version, previous_version, created_flowchart, applied_at)
        VALUES ($1, $2, $3, $4, 'ready', $5, $6, $7, $8, $9, $10)`,
      [id, batchId, report.source.legacy_id, report.source.name, JSON.stringify(stored), flowchartId, version, prev ? prev.version : null, !prev, appliedAt]);
      const state = await c.query<{ cutover_initialized: boolean }>('SELECT cutover_initialized FROM migration_state WHERE id = 1 FOR UPDATE');
      if (!state.rows[0]?.cutover_initialized) {
        await c.query('INSERT INTO migration_state (id, cutover_initialized) VALUES (1, true) ON CONFLICT (id) DO UPDATE SET cutover_initialized = true');
        await c.query('INSERT INTO runtime_settings (id, settings) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', ['{}']);
        await c.query(`UPDATE runtime_settings SET settings = jsonb_set(settings, '{agent_runtime_cutover_enabled}', 'false'), updated_at = now() WHERE id = 1`);
        // Like every settings save: processes that keep the runtime settings forget them when this commits.
        await c.query('SELECT pg_notify($1, $2)', [RUNTIME_SETTINGS_CHANNEL, 'saved']);
      }
      return (await this.get(id, c))!;
    });
  }

  /** A stored report, or undefined. */
  async get(id: string, q: Pick<pg.Pool, 'query'> = this.pool): Promise<StoredMigrationReport | undefined> {
    const r = await q.query<StoredMigrationReport>(`SELECT ${SUMMARY}, report, previous_version, created_flowchart FROM migration_reports WHERE id = $1`, [id]);
    return r.rows[0];
  }

  /** Lists stored reports (newest first by default); `q` matches the name, `status` filters. */
  async list(raw: Record<string, unknown> = {}): Promise<ListResult<MigrationReportSummary>> {
    const p = parseListParams(raw, { sorts: MIGRATION_REPORT_SORTS, defaultSort: 'created_at', defaultOrder: { '*': 'desc', name: 'asc' } });
    const status = raw.status === 'ready' || raw.status === 'blocked' ? raw.status : null;
    const where = 'WHERE ($1::text IS NULL OR strpos(lower(name), lower($1)) > 0) AND ($2::text IS NULL OR status = $2)';
    const dir = p.order === 'asc' ? 'ASC' : 'DESC';
    const [rows, count] = await Promise.all([
      this.pool.query<MigrationReportSummary>(`SELECT ${SUMMARY} FROM migration_reports ${where} ORDER BY ${p.sort} ${dir}, id ${dir} LIMIT $3 OFFSET $4`, [p.q ?? null, status, p.per_page, offsetOf(p)]),
      this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM migration_reports ${where}`, [p.q ?? null, status]),
    ]);
    return { items: rows.rows, page: { page: p.page, per_page: p.per_page, total: count.rows[0]?.n ?? 0 } };
  }

  /**
   * Rolls back an applied report in one transaction: restores the version before the apply as a new version (its
   * document, so its hash equals `pre_migration_hash`) or deletes the flowchart the apply created (there is no
   * archive: its reports keep the document). Only the latest applied report of a flowchart can be rolled back.
   */
  async rollback(id: string): Promise<{ report_id: string; action: 'restored' | 'deleted'; flowchart_id: string; version: number | null; document: FlowchartDocument | null }> {
    return withTransaction(this.pool, async (c) => {
      const r = (await c.query<StoredMigrationReport>(`SELECT ${SUMMARY}, report, previous_version, created_flowchart FROM migration_reports WHERE id = $1 FOR UPDATE`, [id])).rows[0];
      if (!r) throw new LlmctlError('not_found', `No migration report ${id}.`, { id });
      if (!r.applied_at || !r.flowchart_id) throw new LlmctlError('migration_not_applicable', 'This report was never applied.', { id, reason: 'not_applied' });
      if (r.rolled_back_at) throw new LlmctlError('migration_not_applicable', 'This report was already rolled back.', { id, reason: 'already_rolled_back' });
      const latest = await c.query<{ id: string }>(`SELECT id FROM migration_reports WHERE flowchart_id = $1 AND applied_at IS NOT NULL AND rolled_back_at IS NULL
        ORDER BY applied_at DESC, id DESC LIMIT 1`, [r.flowchart_id]);
      if (latest.rows[0]?.id !== id) throw new LlmctlError('migration_not_applicable', 'A later apply of this flowchart must be rolled back first.', { id, reason: 'not_latest', latest_report_id: latest.rows[0]?.id });
      await c.query('UPDATE migration_reports SET rolled_back_at = now() WHERE id = $1', [id]);
      if (r.created_flowchart) {
        const active = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE flowchart_id = $1 AND status IN ('queued','running','pausing','paused','canceling')`, [r.flowchart_id]);
        if ((active.rows[0]?.n ?? 0) > 0) throw new LlmctlError('conflict', 'The flowchart has active runs; cancel them before rolling back.', { active_runs: active.rows[0]!.n });
        await c.query('DELETE FROM flowcharts WHERE id = $1', [r.flowchart_id]);
        return { report_id: id, action: 'deleted' as const, flowchart_id: r.flowchart_id, version: null, document: null };
      }
      const prev = await c.query<{ document: FlowchartDocument }>('SELECT document FROM flowchart_versions WHERE flowchart_id = $1 AND version = $2', [r.flowchart_id, r.previous_version]);
      const cur = await c.query<{ latest_version: number }>('SELECT latest_version FROM flowcharts WHERE id = $1 FOR UPDATE', [r.flowchart_id]);
      if (!prev.rows[0] || !cur.rows[0]) throw new LlmctlError('migration_not_applicable', 'The flowchart or its previous version no longer exists.', { id, reason: 'flowchart_gone' });
      const version = cur.rows[0].latest_version + 1;
      const doc = prev.rows[0].document;
      await c.query('INSERT INTO flowchart_versions (flowchart_id, version, document, warnings) VALUES ($1, $2, $3, $4)', [r.flowchart_id, version, JSON.stringify(doc), '[]']);
      await c.query('UPDATE flowcharts SET name = $2, description = $3, latest_version = $4, updated_at = now() WHERE id = $1', [r.flowchart_id, doc.name, doc.description ?? null, version]);
      return { report_id: id, action: 'restored' as const, flowchart_id: r.flowchart_id, version, document: doc };
    });
  }

  /** True when the flowchart was imported from llmctl. */
  async isImported(flowchartId: string): Promise<boolean> {
    return ((await this.pool.query('SELECT 1 FROM legacy_imports WHERE flowchart_id = $1', [flowchartId])).rowCount ?? 0) > 0;
  }

  /** Every imported flowchart with its legacy id's latest report and its latest rehearsal. */
  async checklist(): Promise<CutoverEntry[]> {
    const r = await this.pool.query<CutoverEntry & { r_run: string | null; r_status: string | null; r_version: number | null; r_at: string | null }>(
      `SELECT i.flowchart_id, i.legacy_id::int AS legacy_id, f.name, f.latest_version, lr.id AS latest_report_id, lr.status AS latest_status,
              h.run_id AS r_run, h.status AS r_status, h.flowchart_version AS r_version, h.rehearsed_at AS r_at
         FROM legacy_imports i JOIN flowcharts f ON f.id = i.flowchart_id
         LEFT JOIN LATERAL (SELECT id, status FROM migration_reports m WHERE m.legacy_id = i.legacy_id ORDER BY created_at DESC, id DESC LIMIT 1) lr ON true
         LEFT JOIN migration_rehearsals h ON h.flowchart_id = i.flowchart_id
        ORDER BY i.legacy_id`);
    return r.rows.map(({ r_run, r_status, r_version, r_at, ...e }) => ({
      ...e, rehearsal: r_status ? { run_id: r_run, status: r_status, flowchart_version: r_version!, rehearsed_at: r_at! } : null,
    }));
  }

  /** Records the rehearsal result of an imported flowchart (the latest one counts). */
  async recordRehearsal(flowchartId: string, version: number, runId: string | null, status: string, error: unknown): Promise<void> {
    await this.pool.query(`INSERT INTO migration_rehearsals (flowchart_id, flowchart_version, run_id, status, error) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (flowchart_id) DO UPDATE SET flowchart_version = $2, run_id = $3, status = $4, error = $5, rehearsed_at = now()`,
    [flowchartId, version, runId, status, error === undefined || error === null ? null : JSON.stringify(error)]);
  }
}
