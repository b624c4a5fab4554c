/** Flowchart documents and scripted models the e2e tests seed through the API. */
import type { FlowchartDocument, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import type { ScriptedResponse } from './studio-server.ts';

/**
 * Ticket triage with a decision and a join: start → classify → route ⟨bug: fix | fallback: reply⟩ → merge
 * (inclusive join) → done. The model answers "bug" to the classifier, so route matches e3 (route key `bug`).
 */
export function triageDoc(name: string, model: string): FlowchartDocument {
  return {
    schema_version: 1,
    name,
    description: 'Classify a ticket, fix bugs, reply to the rest, then merge.',
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'classify', type: 'task', name: 'Classify', config: { model, prompt: 'Classify: {{input.text}}' } },
      { id: 'route', type: 'decision', name: 'Route', config: { mode: 'deterministic', match: 'first' } },
      { id: 'fix', type: 'task', name: 'Fix', config: { model, prompt: 'Fix: {{input.text}}' } },
      { id: 'reply', type: 'task', name: 'Reply', config: { model, prompt: 'Reply: {{input.text}}' } },
      { id: 'merge', type: 'task', name: 'Merge', config: { model, prompt: 'Merge the results' }, fan_in: { policy: 'inclusive' } },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'classify' },
      { id: 'e2', source: 'classify', target: 'route' },
      { id: 'e3', source: 'route', target: 'fix', route_key: 'bug', condition: "output.text = 'bug'" },
      { id: 'e4', source: 'route', target: 'reply', route_key: 'other', fallback: true },
      { id: 'e5', source: 'fix', target: 'merge' },
      { id: 'e6', source: 'reply', target: 'merge' },
      { id: 'e7', source: 'merge', target: 'done' },
    ],
  };
}

/**
 * How long a held scripted response waits: far longer than any test, so a run stays live until the test releases
 * it (pause `now` or cancel abort the wait; the test then swaps the model's responses for instant ones). Tests never
 * race this delay: they gate on DOM and server state.
 */
export const HOLD_MS = 600_000;

/** Responses of the triage model; `classifyDelayMs` (e.g. {@link HOLD_MS}) keeps the first task running. */
export function triageResponses(classifyDelayMs = 0): ScriptedResponse[] {
  return [
    { match: 'Classify', output: 'bug', delay_ms: classifyDelayMs },
    { match: 'Fix', output: 'patched: {{input.text}}' },
    { match: 'Reply', output: 'thanks for the report' },
    { output: 'merged' },
  ];
}

/** A straight line start → the given task nodes (prompt = their id) → done. */
export function lineDoc(name: string, model: string, tasks: string[]): FlowchartDocument {
  const ids = ['start', ...tasks, 'done'];
  return {
    schema_version: 1,
    name,
    nodes: [{ id: 'start', type: 'start' }, ...tasks.map((id) => ({ id, type: 'task' as const, config: { model, prompt: `Step ${id}` } })), { id: 'done', type: 'end' }],
    edges: ids.slice(1).map((target, i) => ({ id: `e${i + 1}`, source: ids[i]!, target })),
  };
}

/** The grid of {@link thousandNodes}: lanes, task nodes per lane, and the spacing of stored positions. */
export const GRID = { LANES: 10, PER_LANE: 99, DX: 220, DY: 110 } as const;

/** start → 10 chains of 99 task nodes → end: 1,000 nodes with stored positions (a grid, 220 × 110 apart). */
export function thousandNodes(model: string): FlowchartDocument {
  const { LANES, PER_LANE, DX, DY } = GRID;
  const midY = ((LANES - 1) * DY) / 2;
  const nodes: FlowchartNode[] = [{ id: 'start', type: 'start', ui: { x: 0, y: midY } }];
  const edges: FlowchartEdge[] = [];
  for (let lane = 0; lane < LANES; lane++) {
    for (let i = 0; i < PER_LANE; i++) {
      const id = `l${lane}_${i}`;
      nodes.push({ id, type: 'task', name: `Step ${lane}.${i}`, config: { model, prompt: `Step ${lane}.${i}` }, ui: { x: (i + 1) * DX, y: lane * DY } });
      edges.push({ id: `e${edges.length + 1}`, source: i === 0 ? 'start' : `l${lane}_${i - 1}`, target: id });
    }
    edges.push({ id: `e${edges.length + 1}`, source: `l${lane}_${PER_LANE - 1}`, target: 'done' });
  }
  nodes.push({ id: 'done', type: 'end', ui: { x: (PER_LANE + 1) * DX, y: midY } });
  return { schema_version: 1, name: 'A thousand nodes', nodes, edges };
}
