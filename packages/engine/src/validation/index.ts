/**
 * Save-time flowchart validation (shared/spec/flowchart-v1.md "Save-time validation"): pure, no IO. Every problem is
 * returned in one pass, errors and warnings apart: the JSON Schema runs first, and the graph rules run too whenever
 * the document has the shape they need (node and connector lists with string ids), even when the schema failed, so
 * fixing the first problems never reveals a second wave.
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
import { checkSchema, graphShaped } from './schema-rules.ts';
import { checkTemplates } from './template-rules.ts';
import { checkDangling, checkDuplicateIds, checkStart, checkTriggerShapes } from './structure-rules.ts';

export type { ValidationContext } from './context.ts';
export { parseProblem as jsonataParseProblem } from './connector-rules.ts';
export { usesModel } from './reference-rules.ts';
export { DEFAULT_FAN_IN, fanInOf, isJoinInput, joinInputsOf, isJoin, fanInCountValid } from './fan-in-policy.ts';
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
  const schemaValid = checkSchema(doc, out);
  const schemaErrors = out.errors.length;
  const shaped = schemaValid ? (doc as FlowchartDocument) : graphShaped(doc);
  if (!shaped) return { valid: false, errors: out.errors, warnings: out.warnings };
  const rules: ((a: ReturnType<typeof analyse>) => void)[] = [
    (a) => checkStart(a, out),
    (a) => checkDuplicateIds(a, out),
    (a) => checkDangling(a, out),
    (a) => checkTriggerShapes(a, out),
    (a) => checkConnectorFields(a, out),
    (a) => checkDecisions(a, out),
    (a) => checkRouteKeys(a, out),
    (a) => checkFanIn(a, out),
    (a) => checkModels(a, out, ctx),
    (a) => checkSubflows(a, out, ctx),
    (a) => checkReachability(a, out),
    (a) => checkLoops(a, out),
    (a) => checkTemplates(a, out),
  ];
  let a: ReturnType<typeof analyse>;
  try {
    a = analyse(shaped);
  } catch (err) {
    if (schemaValid) throw err;
    return { valid: false, errors: out.errors, warnings: out.warnings };
  }
  for (const rule of rules) {
    try {
      rule(a);
    } catch (err) {
      // A schema-invalid document may trip a rule on a malformed field the schema problems already report.
      if (schemaValid) throw err;
    }
  }
  if (schemaValid) return { valid: out.errors.length === 0, errors: out.errors, warnings: out.warnings };
  // A field the schema already flagged is reported once: graph problems at (or under) its path are dropped.
  const schemaCount = schemaErrors;
  const flagged = out.errors.slice(0, schemaCount).map((i) => i.path);
  const fresh = (i: { path: string }, idx: number): boolean => idx < schemaCount || !flagged.some((p) => i.path === p || i.path.startsWith(`${p}/`));
  const errors = out.errors.filter(fresh);
  const warnings = out.warnings.filter((i) => fresh(i, Number.MAX_SAFE_INTEGER));
  return { valid: errors.length === 0, errors, warnings };
}
