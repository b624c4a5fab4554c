/**
 * Runs an llmctl import batch against the database: checks the whole export first (nothing is applied from a
 * malformed one), analyses one flowchart at a time, applies ready reports (one transaction each) and stores every
 * report. Used by `POST /api/migrations/flowcharts`.
 */
import { LlmctlError } from '@llmctl/contracts';
import { analyzeLegacyFlowchart, canonicalHash, checkInput, iterateInput, summarizeBatch, type MigrationBatch, type MigrationReport } from '@llmctl/migrate';
import { MigrationRepository, newId, type StorableReport } from '@llmctl/store';
import type { AppContext } from '../app-context.ts';

/** The parsed body of `POST /api/migrations/flowcharts`. */
export interface ImportRequest {
  source: unknown;
  model_map: Record<string, string>;
  apply: boolean;
  strict: boolean;
}

/** Validates the request body (`validation_failed` for bad options; the export itself is checked by the importer). */
export function importRequestOf(b: Record<string, unknown>): ImportRequest {
  const bad = (path: string, message: string) => new LlmctlError('validation_failed', `${path} ${message}`, { errors: [{ path, message }] });
  if (b.source === undefined) throw bad('source', 'is required');
  const mm = b.model_map ?? {};
  if (typeof mm !== 'object' || mm === null || Array.isArray(mm) || Object.values(mm).some((v) => typeof v !== 'string')) throw bad('model_map', 'must map legacy model ids to model names');
  if (b.apply !== undefined && typeof b.apply !== 'boolean') throw bad('apply', 'must be a boolean');
  if (b.strict !== undefined && typeof b.strict !== 'boolean') throw bad('strict', 'must be a boolean');
  return { source: b.source, model_map: mm as Record<string, string>, apply: b.apply === true, strict: b.strict !== false };
}

/** Imports a batch; returns the batch with every stored report (each with its `id`). */
export async function runImport(ctx: AppContext, req: ImportRequest): Promise<MigrationBatch & { batch_id: string }> {
  checkInput(req.source);
  const repo = new MigrationRepository(ctx.db.pool);
  const names = new Set(await ctx.repos.models.names());
  const batchId = newId('mb');
  const reports: MigrationReport[] = [];
  for (const item of iterateInput(req.source)) {
    const report = await analyzeLegacyFlowchart(item.graph, item.kind, { model_map: req.model_map, strict: req.strict, modelExists: (n) => names.has(n) });
    const prev = await repo.importedAs(item.graph.flowchart.id);
    report.rollback.pre_migration_hash = prev ? canonicalHash(prev.document) : null;
    if (req.apply && report.compatibility_gate.status === 'ready') {
      const stored = await repo.apply(batchId, report as unknown as StorableReport, canonicalHash);
      reports.push(stored.report as unknown as MigrationReport);
      ctx.emit({
        event_type: 'flowchart:definition:updated', flowchart_id: stored.flowchart_id, idempotency_key: `flowchart:${stored.flowchart_id}:${stored.applied_at}`,
        request_id: batchId, correlation_id: batchId, payload: { action: prev ? 'updated' : 'created', id: stored.flowchart_id, version: stored.applied_version, name: report.document.name },
      });
    } else {
      if (req.apply) report.apply = { applied: false, flowchart_id: prev?.flowchart_id ?? null, version: null, applied_at: null };
      const id = await repo.saveReport(batchId, report as never);
      reports.push({ ...report, id } as MigrationReport);
    }
  }
  return { ...summarizeBatch(reports, { apply: req.apply, strict: req.strict }), batch_id: batchId };
}
