/** Hooks of the migration endpoints (`/api/migrations*`, docs/migration/runbook.md); the shapes are the contracts'. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { CutoverChecklist, MigrationBatch, MigrationSummary, StoredMigrationReportView } from '@llmctl/contracts';
import { api, apiGet } from '../../api/http.ts';

export type { CutoverChecklist, MigrationBatch, MigrationIssue, MigrationReport, MigrationSummary, SimulationCase } from '@llmctl/contracts';
/** A stored report (`GET /api/migrations/:id`): the contract's shape. */
export type StoredReport = StoredMigrationReportView;

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
export function useMigrationReports(): UseQueryResult<MigrationSummary[]> {
  return useQuery({ queryKey: ['migrations'], queryFn: ({ signal }) => apiGet<MigrationSummary[]>('/api/migrations?per_page=50&sort=created_at&order=desc', signal) });
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
