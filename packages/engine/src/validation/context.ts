import type { FlowchartDocument } from '@llmctl/contracts';

/** What save-time validation may know beyond the document itself. Every field is optional; checks that need one are skipped without it. */
export interface ValidationContext {
  /** True when a model with this registry name exists (enables `model_unknown`). */
  modelExists?: (name: string) => boolean;
  /** The id of the flowchart being saved (enables `subflow_cycle`). */
  flowchartId?: string;
  /** The latest document of another flowchart, to follow `flowchart` nodes transitively (for `subflow_cycle`). */
  resolveFlowchart?: (id: string) => FlowchartDocument | undefined;
}
