/** Types and hooks of the migration endpoints (`/api/migrations*`, docs/migration/runbook.md). */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { FlowchartDocument } from '@llmctl/contracts';
import { api, apiGet } from '../../api/http.ts';

/** One problem of a report, placed on the translated graph by `node_id` / `edge_id`. */
export interface MigrationIssue {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  legacy_node_id?: number;
  legacy_edge_id?: number;
  node_id?: string;
  edge_id?: string;
}

/** One routing simulation case: what llmctl would fire vs what the translated decision fires. */
export interface SimulationCase {
  description: string;
  input: unknown;
  legacy_targets: string[];
  new_targets: string[];
  equal: boolean;
}

/** A migration report (migration.md). */
export interface MigrationReport {
  id?: string;
  source: { kind: string; legacy_id: number; name: string };
  changed: boolean;
  compatibility_gate: { status: 'ready' | 'blocked'; blocking_issue_codes: string[]; warning_issue_codes: string[]; error_count: number; warning_count: number };
  issues: MigrationIssue[];
  routing_simulation: { decision_node_id: string; cases: SimulationCase[] }[];
  rollback: { required: boolean; trigger_codes: string[]; pre_migration_hash: string | null };
  document: FlowchartDocument;
  apply: { applied: boolean; flowchart_id: string | null; version: number | null; applied_at: string | null } | null;
}

/** The answer of `POST /api/migrations/flowcharts`. */
export interface MigrationBatch {
  batch_id: string;
  apply_requested: boolean;
  flowchart_count: number;
  ready_count: number;
  blocked_count: number;
  applied_count: number;
  reports: MigrationReport[];
}

/** A stored report (`GET /api/migrations/:id`). */
export interface StoredReport {
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
  report: MigrationReport;
}

/** The cutover checklist (`GET /api/migrations/cutover`). */
export interface CutoverChecklist {
  enabled: boolean;
  imported: number;
  ready: number;
  blocked: number;
  rehearsed: number;
  can_enable: boolean;
  blockers: { flowchart_id: string; legacy_id: number; name: string; report_id: string | null }[];
  evidence: { record: string; generated_by: string };
  flowcharts: {
    flowchart_id: string;
    legacy_id: number;
    name: string;
    latest_version: number;
    latest_report_id: string | null;
    latest_status: 'ready' | 'blocked' | null;
    rehearsal: { run_id: string | null; status: string; flowchart_version: number; rehearsed_at: string } | null;
  }[];
}

/** The body of an import. */
export interface ImportBody {
  source: { flowcharts: unknown[] };
  model_map: Record<string, string>;
  apply: boolean;
  strict: boolean;
}

/** `POST /api/migrations/flowcharts`. */
export async function importFlowcharts(body: ImportBody): Promise<MigrationBatch> {
  return (await api<MigrationBatch>('POST', '/api/migrations/flowcharts', body)).data;
}

/** `GET /api/migrations/:id`. */
export function useMigrationReport(id: string | undefined): UseQueryResult<StoredReport> {
  return useQuery({ queryKey: ['migration', id], queryFn: ({ signal }) => apiGet<StoredReport>(`/api/migrations/${encodeURIComponent(id!)}`, signal), enabled: !!id });
}

/** `GET /api/migrations` (latest first). */
export function useMigrationReports(): UseQueryResult<StoredReport[]> {
  return useQuery({ queryKey: ['migrations'], queryFn: ({ signal }) => apiGet<StoredReport[]>('/api/migrations?per_page=50&sort=created_at&order=desc', signal) });
}

/** `GET /api/migrations/cutover`. */
export function useCutover(): UseQueryResult<CutoverChecklist> {
  return useQuery({ queryKey: ['migrations', 'cutover'], queryFn: ({ signal }) => apiGet<CutoverChecklist>('/api/migrations/cutover', signal) });
}

const SOURCE_KEY = 'llmctl.migration.sources';
const MAP_KEY = 'llmctl.migration.model_map';

/** The model map of the last import in this tab. */
export function loadModelMap(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem(MAP_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/** Remembers the legacy graphs of the last import (per legacy id) so a report can be applied later in this tab. */
export function rememberSources(items: unknown[], modelMap: Record<string, string>): void {
  try {
    sessionStorage.setItem(MAP_KEY, JSON.stringify(modelMap));
  } catch {
    /* ignored */
  }
  const map: Record<string, unknown> = loadSources();
  for (const it of items) {
    const id = (it as { flowchart?: { id?: unknown } })?.flowchart?.id;
    if (typeof id === 'number' || typeof id === 'string') map[String(id)] = it;
  }
  try {
    sessionStorage.setItem(SOURCE_KEY, JSON.stringify(map));
  } catch {
    /* storage full or off: apply then needs a new import */
  }
}

/** The remembered legacy graphs per legacy id. */
export function loadSources(): Record<string, unknown> {
  try {
    return JSON.parse(sessionStorage.getItem(SOURCE_KEY) ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The flowchart list of an export: `{ flowcharts: [...] }`, a bare array, or one graph. */
export function flowchartsOf(parsed: unknown): unknown[] | null {
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object') {
    const f = (parsed as { flowcharts?: unknown }).flowcharts;
    if (Array.isArray(f)) return f;
    if ((parsed as { flowchart?: unknown }).flowchart) return [parsed];
  }
  return null;
}
