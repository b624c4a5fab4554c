// Random join graphs and random event orders for the incremental fan-in property test.
import fc from 'fast-check';
import type { ErrorInfo, FanIn, FlowchartDocument, FlowchartEdge, FlowchartNode, RoutingRecord } from '@llmctl/contracts';
import { compileGraph, type CompiledGraph } from '../../../src/graph.ts';
import { _failRunForControl, _route, _setStatus, _succeedRun, decide } from '../../../src/run/decide.ts';
import type { EngineEvent } from '../../../src/run/events.ts';
import type { EngineState } from '../../../src/run/state.ts';
import { Tx } from '../../../src/run/tx.ts';

/** A flowchart: start, `n` work nodes with forward connectors, a few back connectors (loops), random fan-in policies. */
export const arbFlowchart: fc.Arbitrary<FlowchartDocument> = fc
  .record({
    n: fc.integer({ min: 2, max: 12 }),
    forward: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 24, size: 'max' }),
    back: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
    policies: fc.array(fc.tuple(fc.constantFrom('inclusive', 'all', 'any', 'count'), fc.nat()), { minLength: 10, maxLength: 10 }),
  })
  .map(({ n, forward, back, policies }) => {
    const ids = ['start', ...Array.from({ length: n }, (_, i) => `n${i + 1}`)];
    const edges: FlowchartEdge[] = [];
    const add = (a: number, b: number): void => void edges.push({ id: `c${edges.length}`, source: ids[a]!, target: ids[b]! });
    for (let b = 1; b <= n; b++) add(Math.floor(((b - 1) * 7919) % b), b); // every node has a way in
    for (const [x, y] of forward) {
      const a = x % n;
      const b = a + 1 + (y % (n - a));
      add(a, b);
    }
    for (const [x, y] of back) {
      const b = 1 + (x % n);
      const a = b + (y % (n + 1 - b));
      add(a, b);
    }
    const nodes: FlowchartNode[] = ids.map((id, i) => {
      if (i === 0) return { id, type: 'start' };
      const [policy, k] = policies[i % policies.length]!;
      const inputs = edges.filter((e) => e.target === id).length;
      const fan_in: FanIn = policy === 'count' ? { policy, count: 1 + (k % Math.max(1, inputs)) } : { policy };
      return { id, type: 'task', fan_in };
    });
    return { schema_version: 1, name: 'random joins', settings: { max_node_executions: 10_000, max_parallel_nodes: 3 }, nodes, edges };
  });

/** One step of a random run; `k` picks a node run, `mask` the connectors a success routes along. */
export type Step =
  | { op: 'dispatch' } | { op: 'succeed'; k: number; mask: number } | { op: 'fail'; k: number } | { op: 'requeue'; k: number }
  | { op: 'skip'; k: number; mask: number } | { op: 'cancel'; k: number } | { op: 'pause' } | { op: 'resume' }
  | { op: 'rewind'; k: number; back: number } | { op: 'reload'; eager: boolean };

/** Mostly every outgoing connector (-1: all bits set), sometimes a random subset. */
const arbMask = fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() });

export const arbSteps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.constant<Step>({ op: 'dispatch' }) },
    { weight: 10, arbitrary: fc.record({ op: fc.constant('succeed' as const), k: fc.nat(), mask: arbMask }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('fail' as const), k: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('requeue' as const), k: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('skip' as const), k: fc.nat(), mask: arbMask }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), k: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant<Step>({ op: 'pause' }) },
    { weight: 2, arbitrary: fc.constant<Step>({ op: 'resume' }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('rewind' as const), k: fc.nat(), back: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('reload' as const), eager: fc.boolean() }) },
  ),
  { minLength: 1, maxLength: 150, size: 'max' },
);

/** The join settle pass under test: the engine's or the full-recompute oracle. */
export type SettleJoins = (tx: Tx) => ErrorInfo | null;

const NOW = '2026-01-01T00:00:00.000Z';

function routingOf(g: CompiledGraph, nodeId: string, mask: number): RoutingRecord {
  const out = g.triggerOut.get(nodeId) ?? [];
  const taken = out.filter((_, i) => (mask >> i) & 1).map((e) => e.id);
  return { matched_connector_ids: taken, route_key: null, route_keys: [], routing_state: taken.length > 0 ? 'matched' : 'no_route', evaluated: [] };
}

/** decide.ts's settle, with the join pass passed in. */
function settle(tx: Tx, joins: SettleJoins): void {
  const s = tx.s;
  if (s.status === 'running' || s.status === 'pausing') {
    const starved = joins(tx);
    if (starved) {
      _failRunForControl(tx, starved);
      return;
    }
  }
  if (s.status === 'pausing' && s.running.length === 0) _setStatus(tx, 'paused');
  else if (s.status === 'running' && s.queue.length === 0 && s.running.length === 0) _succeedRun(tx, null);
}

/**
 * One side of the comparison: a run folded in memory, driven step by step. `history` keeps earlier join states for
 * random rewinds; `reload` replaces the state by its JSON copy (as a snapshot load does: no fan-in index).
 */
export class Side {
  s: EngineState;
  readonly history: EngineState['joins'][] = [];
  private ids = 0;
  constructor(readonly g: CompiledGraph, s: EngineState, readonly joins: SettleJoins, readonly onLoad: (s: EngineState, eager: boolean) => void) {
    this.s = s;
  }

  private newId = (): string => `nr${++this.ids}`;

  /** Applies one step; returns the events it emitted (none when the step does not apply). */
  step(st: Step): EngineEvent[] {
    const { g, s } = this;
    const live = s.status === 'running' || s.status === 'pausing';
    this.history.push(structuredClone(s.joins));
    const tx = new Tx(g, s, this.newId, NOW);
    const pick = (list: string[], k: number): string | undefined => (list.length > 0 ? list[k % list.length] : undefined);
    switch (st.op) {
      case 'dispatch':
        return decide.dispatch(g, s, this.newId, NOW).events;
      case 'succeed': {
        const id = pick(s.running, st.k);
        if (!id || !live) return [];
        const nr = s.node_runs[id]!;
        const routing = routingOf(g, nr.node_id, st.mask);
        tx.emit({ kind: 'node.succeeded', node_id: nr.node_id, node_run_id: id, output: { id }, routing, outcome: 'success', fallback_used: false, degraded_reason: null, warnings: [], usage: null, at: NOW });
        _route(tx, nr, { id }, routing, false);
        settle(tx, this.joins);
        return tx.events;
      }
      case 'fail': {
        const id = pick(s.running, st.k);
        return id ? decide.failed(g, s, id, { code: 'internal', message: 'x', details: {}, retryable: false }, NOW) : [];
      }
      case 'requeue': {
        const id = pick(s.running, st.k);
        return id ? decide.requeue(g, s, id, 'worker_lost', NOW) : [];
      }
      case 'skip': {
        const id = pick(s.queue, st.k);
        if (!id || s.status === 'succeeded' || s.status === 'canceled') return [];
        const nr = s.node_runs[id]!;
        const routing = routingOf(g, nr.node_id, st.mask);
        tx.emit({ kind: 'node.skipped', node_id: nr.node_id, node_run_id: id, output: null, routing, at: NOW });
        if (s.status !== 'running') _setStatus(tx, 'running');
        _route(tx, nr, null, routing, false);
        settle(tx, this.joins);
        return tx.events;
      }
      case 'cancel': {
        const id = pick(s.queue, st.k);
        if (!id || !live) return [];
        tx.emit({ kind: 'node.canceled', node_id: s.node_runs[id]!.node_id, node_run_id: id, reason: 'test', at: NOW });
        settle(tx, this.joins);
        return tx.events;
      }
      case 'pause':
        if (s.status !== 'running') return [];
        _setStatus(tx, 'pausing');
        settle(tx, this.joins);
        return tx.events;
      case 'resume':
        if (s.status !== 'paused' && s.status !== 'failed') return [];
        _setStatus(tx, 'running');
        settle(tx, this.joins);
        return tx.events;
      case 'rewind': {
        if (s.status === 'running' || s.status === 'queued' || this.history.length < 2) return [];
        const active = [...s.queue, ...s.running];
        const superseded = active.filter((_, i) => (st.k >> i) & 1);
        const joins = this.history[st.back % this.history.length]!;
        tx.emit({ kind: 'run.rewound', node_run_id: superseded[0] ?? 'none', checkpoint_seq: 0, superseded, joins: structuredClone(joins), iterations: { ...s.iterations }, at: NOW });
        _setStatus(tx, 'running');
        settle(tx, this.joins);
        return tx.events;
      }
      case 'reload':
        this.s = JSON.parse(JSON.stringify(s)) as EngineState;
        this.onLoad(this.s, st.eager);
        return [];
    }
  }
}

/** Compiles a random flowchart and starts its run (the start node run queued). */
export function started(doc: FlowchartDocument, s: EngineState): CompiledGraph {
  const g = compileGraph(doc);
  decide.start(g, s, { go: true }, () => 'nr0', NOW);
  return g;
}
