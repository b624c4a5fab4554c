/** API shapes the contracts package does not (yet) publish, as described in shared/spec/api.md "Main shapes". */
import type { FlowchartDocument, ValidationIssue } from '@llmctl/contracts';

/** A stored flowchart version. */
export interface Flowchart {
  id: string;
  version: number;
  name: string;
  description?: string | null;
  document: FlowchartDocument;
  warnings?: ValidationIssue[];
  created_at: string;
  updated_at: string;
}

/** One entry of a flowchart's version history. */
export interface FlowchartVersion {
  version: number;
  created_at?: string;
  [k: string]: unknown;
}

export { PROVIDERS, PROVIDER_LABELS, type Provider } from '../core/model-form.ts';

/** A registered model. */
export interface Model {
  id: string;
  name: string;
  provider: string;
  model: string;
  base_url: string | null;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** Provider credentials as the API returns them (never the key itself). */
export interface ProviderCredentials {
  provider: string;
  has_api_key: boolean;
  api_key_masked?: string | null;
  masked_api_key?: string | null;
  base_url?: string | null;
  settings?: Record<string, unknown> | null;
  updated_at?: string | null;
}

/** A persisted artifact (shape published by the contracts package; the studio shows it generically). */
export interface Artifact {
  id: string;
  run_id?: string;
  node_run_id?: string | null;
  node_id?: string | null;
  type?: string;
  kind?: string;
  name?: string;
  version?: number;
  created_at?: string;
  [k: string]: unknown;
}

/** Result of `POST /api/models/:id/test`. */
export interface ModelTestResult {
  ok?: boolean;
  latency_ms?: number;
  error?: { code?: string; message?: string } | string | null;
  [k: string]: unknown;
}

/** Generic record of the memory / plans / milestones lists. */
export type StateRecord = Record<string, unknown> & { id?: string };
