/**
 * Flowchart validation as the editor uses it. Today it asks the server (`POST /api/flowcharts/validate`); swapping
 * in client-side engine validation means replacing {@link validateFlowchart} only.
 */
import type { FlowchartDocument, ValidationResult } from '@llmctl/contracts';
import { api } from './http.ts';

/** Validates a document without saving it. */
export async function validateFlowchart(doc: FlowchartDocument, signal?: AbortSignal): Promise<ValidationResult> {
  const r = await api<ValidationResult>('POST', '/api/flowcharts/validate', doc, signal ? { signal } : {});
  const d = r.data ?? { valid: true, errors: [], warnings: [] };
  return { valid: d.valid ?? (d.errors ?? []).length === 0, errors: d.errors ?? [], warnings: d.warnings ?? [] };
}
