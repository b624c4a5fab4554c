/**
 * The compatibility gate: one report per legacy flowchart (migration.md "The report") and the batch summary.
 * `ready` only with no error issue, a document that passes our save-time validation and every simulation case equal.
 */
import { validateFlowchart } from '@llmctl/engine';
import { canonicalHash } from './canonical.ts';
import { mapFlowchart } from './map-flowchart.ts';
import { simulateRouting } from './simulate.ts';
import type { ImportOptions, LegacyGraph, MigrationBatch, MigrationIssue, MigrationReport, SourceKind } from './types.ts';

const legacyIdOf = (ourId: string | undefined): number | undefined => (ourId && /^[ne]\d+$/.test(ourId) ? Number(ourId.slice(1)) : undefined);

/** Analyses one legacy flowchart (dry run): the report with our document. Never throws for bad graphs. */
export async function analyzeLegacyFlowchart(graph: LegacyGraph, kind: SourceKind, opts: ImportOptions = {}): Promise<MigrationReport> {
  const mapped = mapFlowchart(graph, { model_map: opts.model_map, strict: opts.strict });
  const issues: MigrationIssue[] = [...mapped.issues];
  const validation = validateFlowchart(mapped.document, opts.modelExists ? { modelExists: opts.modelExists } : {});
  for (const [list, severity] of [[validation.errors, 'error'], [validation.warnings, 'warning']] as const) {
    for (const v of list) {
      const i: MigrationIssue = { code: v.code, severity, message: `Save-time validation: ${v.message}` };
      if (v.node_id) Object.assign(i, { node_id: v.node_id, legacy_node_id: legacyIdOf(v.node_id) });
      if (v.edge_id) Object.assign(i, { edge_id: v.edge_id, legacy_edge_id: legacyIdOf(v.edge_id) });
      issues.push(i);
    }
  }
  const simulation = await simulateRouting(mapped.document, mapped.decisions, graph.flowchart.id);
  for (const s of simulation) {
    const bad = s.cases.filter((c) => !c.equal);
    if (bad.length > 0) {
      issues.push({
        code: 'routing_simulation_mismatch', severity: 'error', node_id: s.decision_node_id, legacy_node_id: legacyIdOf(s.decision_node_id),
        message: `Routing differs from llmctl in ${bad.length} case(s): ${bad.map((c) => `${c.description} (llmctl ${c.legacy_targets.join(',') || '-'}, ours ${c.new_targets.join(',') || '-'})`).join('; ')}`,
      });
    }
  }
  const errors = [...new Set(issues.filter((i) => i.severity === 'error').map((i) => i.code))].sort();
  const warnings = [...new Set(issues.filter((i) => i.severity === 'warning').map((i) => i.code))].sort();
  const ready = errors.length === 0 && validation.valid && simulation.every((s) => s.cases.every((c) => c.equal));
  const beforeHash = canonicalHash(graph);
  const afterHash = canonicalHash(mapped.document);
  return {
    contract_version: 'v1',
    source: { kind, legacy_id: graph.flowchart.id, name: mapped.document.name },
    generated_at: new Date().toISOString(),
    changed: beforeHash !== afterHash,
    before_hash: beforeHash,
    after_hash: afterHash,
    compatibility_gate: { status: ready ? 'ready' : 'blocked', blocking_issue_codes: errors, warning_issue_codes: warnings, error_count: errors.length, warning_count: warnings.length },
    issues,
    routing_simulation: simulation,
    rollback: { required: !ready, trigger_codes: ready ? [] : ['compatibility_gate_blocked', ...errors], pre_migration_hash: null },
    document: mapped.document,
    apply: null,
  };
}

/** Builds the batch summary from reports. */
export function summarizeBatch(reports: MigrationReport[], opts: { apply: boolean; strict: boolean }): MigrationBatch {
  const ready = reports.filter((r) => r.compatibility_gate.status === 'ready').length;
  return {
    contract_version: 'v1', generated_at: new Date().toISOString(), apply_requested: opts.apply, strict: opts.strict,
    flowchart_count: reports.length, ready_count: ready, blocked_count: reports.length - ready,
    applied_count: reports.filter((r) => r.apply?.applied).length, reports,
  };
}
