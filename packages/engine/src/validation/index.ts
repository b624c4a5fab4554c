/**
 * Save-time flowchart validation (shared/spec/flowchart-v1.md "Save-time validation"): pure, no IO. The JSON Schema
 * runs first; when it fails, its errors (`schema_invalid`) are returned alone. Otherwise every graph rule runs and
 * every problem is returned at once, errors and warnings apart.
 */
import type { FlowchartDocument, ValidationResult } from '@llmctl/contracts';
import { analyse } from './analysis.ts';
import { checkConnectorFields } from './connector-rules.ts';
import type { ValidationContext } from './context.ts';
import { checkDecisions, checkRouteKeys } from './decision-rules.ts';
import { checkFanIn } from './fan-in-rules.ts';
import { IssueCollector } from './issues.ts';
import { checkLoops, checkReachability } from './reachability-rules.ts';
import { checkModels, checkSubflows } from './reference-rules.ts';
import { checkSchema } from './schema-rules.ts';
import { checkDangling, checkDuplicateIds, checkStart, checkTriggerShapes } from './structure-rules.ts';

export type { ValidationContext } from './context.ts';
export { parseProblem as jsonataParseProblem } from './connector-rules.ts';
export { usesModel } from './reference-rules.ts';
export { buildDigraph, successors, predecessors, type Digraph } from './graph/digraph.ts';
export { reachableFrom } from './graph/reachability.ts';
export { stronglyConnectedComponents } from './graph/scc.ts';
export { immediateDominators, dominates } from './graph/dominators.ts';

/**
 * Validates a flowchart document for saving. Returns every problem at once as `{ code, message, node_id?, edge_id?,
 * path }` (schema problems also carry `schema_path`); `valid` is true when there are no errors (warnings never block).
 */
export function validateFlowchart(doc: unknown, ctx: ValidationContext = {}): ValidationResult {
  const out = new IssueCollector();
  if (!checkSchema(doc, out)) return { valid: false, errors: out.errors, warnings: out.warnings };
  const a = analyse(doc as FlowchartDocument);
  checkStart(a, out);
  checkDuplicateIds(a, out);
  checkDangling(a, out);
  checkTriggerShapes(a, out);
  checkConnectorFields(a, out);
  checkDecisions(a, out);
  checkRouteKeys(a, out);
  checkFanIn(a, out);
  checkModels(a, out, ctx);
  checkSubflows(a, out, ctx);
  checkReachability(a, out);
  checkLoops(a, out);
  return { valid: out.errors.length === 0, errors: out.errors, warnings: out.warnings };
}
