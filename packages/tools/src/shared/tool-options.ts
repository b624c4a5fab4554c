/** Options every domain tool factory accepts, to tune the framework policy of its tools. */
import type { ToolRetryPolicy } from '../framework/types.ts';

/** Overrides of a domain's default retry policy and per-attempt timeout. */
export interface DomainToolOptions {
  retry?: ToolRetryPolicy;
  timeout_ms?: number;
}
