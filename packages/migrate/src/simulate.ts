/**
 * Routing simulation (migration.md): every decision is run for each connector alone, several together and none,
 * through llmctl's evaluator and scheduler rule (legacy-decision.ts: every match fires, fallback / failure) and through
 * our engine's own routing (`@llmctl/engine` selectRouting over conditions evaluated by `@llmctl/runtime`).
 */
import type { FlowchartDocument } from '@llmctl/contracts';
import { compileGraph, conditionsToEvaluate, selectRouting, type CompiledGraph } from '@llmctl/engine';
import { evaluateConditions } from '@llmctl/runtime';
import { CONTAINS_RE, EQUALS_RE, legacyDecisionContext, legacyDecisionRouting, stripQuotes } from './legacy-decision.ts';
import type { DecisionPlan } from './map-flowchart.ts';
import type { SimulationCase } from './types.ts';

/** Targets recorded when the decision fails the run (no match without fallback, unknown connector, route_invalid). */
export const RUN_FAILED = 'run_failed';
const PREFIXES = [['latest_upstream', 'output_state', 'structured_output'], ['upstream_nodes', '0', 'output_state', 'structured_output']];

function structuredRest(path: string): string[] | null {
  const segs = path.split('.').map((s) => s.trim()).filter(Boolean);
  for (const p of PREFIXES) if (p.every((x, i) => segs[i] === x)) return segs.slice(p.length);
  return null;
}

function setPath(root: unknown, rest: string[], value: unknown): unknown {
  if (rest.length === 0) return value;
  const obj: Record<string, unknown> = root && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  obj[rest[0]!] = setPath(obj[rest[0]!], rest.slice(1), value);
  return obj;
}

/** An upstream structured output that should make `text` true under llmctl's evaluator (best effort). */
export function satisfying(base: unknown, text: string): unknown {
  const cleaned = text.trim();
  const eq = EQUALS_RE.exec(cleaned);
  if (eq) {
    const rest = structuredRest(eq[1]!);
    const expected = stripQuotes(eq[3]!);
    return rest ? setPath(base, rest, eq[2] === '!=' ? `${expected}_other` : expected) : base;
  }
  const c = CONTAINS_RE.exec(cleaned);
  if (c) {
    const rest = structuredRest(c[1]!);
    return rest ? setPath(base, rest, `urgent: ${stripQuotes(c[2]!)}`) : base;
  }
  const rest = structuredRest(cleaned);
  return rest ? setPath(base, rest, true) : base;
}

async function ourTargets(g: CompiledGraph, plan: DecisionPlan, output: unknown): Promise<string[]> {
  const scope = {
    output, input: {}, context: {}, node: { id: plan.nodeId, iteration: 1 },
    upstream: plan.upstreamId !== null ? { [`n${plan.upstreamId}`]: output } : {},
  };
  const list = conditionsToEvaluate(g, plan.nodeId);
  let results = await evaluateConditions(list, scope);
  // The evaluator's 100 ms time box is wall-clock: on a loaded machine a condition can be cut (JSONata D1012). That
  // is not a routing result, so the simulation evaluates again (the run-time behaviour is unchanged).
  for (let i = 0; i < 5 && results.some((r) => 'error' in r && r.error.code === 'D1012'); i++) results = await evaluateConditions(list, scope);
  const r = selectRouting(g, plan.nodeId, results);
  if (!r.ok) return [RUN_FAILED];
  return r.routing.matched_connector_ids.map((id) => g.edges.get(id)!.target);
}

/** The cases of one decision. */
export function simulationInputs(plan: DecisionPlan): { description: string; input: unknown }[] {
  const cases: { description: string; input: unknown }[] = [];
  if (plan.routeKeyMode) {
    for (const k of plan.keys) cases.push({ description: `route key "${k.key}" alone`, input: { route_key: k.key } });
  } else {
    for (const k of plan.keys) cases.push({ description: `connector "${k.key}" alone`, input: satisfying({}, k.text) });
    if (plan.keys.length >= 3) {
      for (let i = 0; i < plan.keys.length; i++) {
        for (let j = i + 1; j < plan.keys.length; j++) {
          const [a, b] = [plan.keys[i]!, plan.keys[j]!];
          cases.push({ description: `connectors "${a.key}" and "${b.key}" together`, input: satisfying(satisfying({}, a.text), b.text) });
        }
      }
    }
    if (plan.keys.length >= 2) cases.push({ description: 'every connector together', input: plan.keys.reduce<unknown>((acc, k) => satisfying(acc, k.text), {}) });
  }
  cases.push({ description: 'no connector matches', input: {} });
  return cases;
}

/** Simulates every decision of `document`. */
export async function simulateRouting(document: FlowchartDocument, plans: DecisionPlan[], legacyFlowchartId: number): Promise<{ decision_node_id: string; cases: SimulationCase[] }[]> {
  let g: CompiledGraph | null = null;
  try { g = compileGraph(document); } catch { g = null; }
  const out: { decision_node_id: string; cases: SimulationCase[] }[] = [];
  for (const plan of plans) {
    const cases: SimulationCase[] = [];
    for (const c of simulationInputs(plan)) {
      const ctx = legacyDecisionContext(c.input, { flowchartId: legacyFlowchartId, decisionId: plan.legacyId, upstreamId: plan.upstreamId ?? 0 });
      const legacy = legacyDecisionRouting(plan.spec, ctx);
      const legacyTargets = legacy.failed ? [RUN_FAILED] : legacy.targets;
      const newTargets = g ? await ourTargets(g, plan, c.input) : [RUN_FAILED];
      cases.push({ ...c, legacy_targets: legacyTargets, new_targets: newTargets, equal: g !== null && JSON.stringify(legacyTargets) === JSON.stringify(newTargets) });
    }
    out.push({ decision_node_id: plan.nodeId, cases });
  }
  return out;
}
