import type { FanIn } from '@llmctl/contracts';
import type { CompiledGraph } from '../graph.ts';
import type { EngineState } from './state.ts';

/**
 * Liveness of one join's inputs, kept incrementally. An input (connector) is live while a queued or running node run
 * at a node of its live set exists (`run`), or another join holding tokens sits in that set (`hold`).
 */
export interface JoinLiveness {
  id: string;
  /** Position of the join in `g.joins` (document order): the tie-break of the settle pass. */
  pos: number;
  policy: FanIn;
  /** Incoming trigger connectors, in document order. */
  inputs: string[];
  /** Per input: queue/running entries of node runs whose node keeps it live. */
  run: Map<string, number>;
  /** Per input: other joins holding tokens that keep it live. */
  hold: Map<string, number>;
  /** Inputs that are live (run + hold > 0). */
  live: number;
  /** Live inputs without a token. */
  liveEmpty: number;
  /** Inputs kept live by node runs (run > 0). */
  runLive: number;
  /** Inputs kept live by node runs and without a token. */
  runLiveEmpty: number;
}

/**
 * The incremental fan-in index of one folded state: never persisted (it is not part of `EngineState`), built from the
 * state the first time a settle pass needs it (so a state loaded from a snapshot or a log rebuilds it in one pass), and
 * then kept current by `applyEvent` as node runs enter and leave the queue/running lists and join queues change.
 */
export interface FanInIndex {
  g: CompiledGraph;
  joins: Map<string, JoinLiveness>;
  /** Joins whose counts or tokens changed since the last settle pass cleared them. */
  dirty: Set<string>;
  /** Waiting joins that no node run keeps live on an input that could still deliver (see `directlyGrounded`). */
  notGrounded: Set<string>;
  /** Joins counted as holders (held > 0) in other joins' `hold`. */
  holding: Set<string>;
}

const INDEX = new WeakMap<EngineState, FanInIndex>();

function isEmpty(s: EngineState, join: string, c: string): boolean {
  return (s.joins[join]?.queues[c]?.length ?? 0) === 0;
}

/** Adds the contribution of one input (its four flags) with the given sign. */
function count(jl: JoinLiveness, run: number, hold: number, empty: boolean, sign: 1 | -1): void {
  const r = run > 0;
  const l = r || hold > 0;
  if (l) jl.live += sign;
  if (l && empty) jl.liveEmpty += sign;
  if (r) jl.runLive += sign;
  if (r && empty) jl.runLiveEmpty += sign;
}

function bump(ix: FanInIndex, s: EngineState, join: string, c: string, dRun: number, dHold: number): void {
  const jl = ix.joins.get(join);
  if (!jl) return;
  const run = jl.run.get(c) ?? 0;
  const hold = jl.hold.get(c) ?? 0;
  const empty = isEmpty(s, join, c);
  count(jl, run, hold, empty, -1);
  jl.run.set(c, run + dRun);
  jl.hold.set(c, hold + dHold);
  count(jl, run + dRun, hold + dHold, empty, 1);
  ix.dirty.add(join);
}

function recount(s: EngineState, jl: JoinLiveness): void {
  jl.live = jl.liveEmpty = jl.runLive = jl.runLiveEmpty = 0;
  for (const c of jl.inputs) count(jl, jl.run.get(c) ?? 0, jl.hold.get(c) ?? 0, isEmpty(s, jl.id, c), 1);
}

function holdsTokens(s: EngineState, join: string): boolean {
  return (s.joins[join]?.held ?? 0) > 0;
}

function setHolding(ix: FanInIndex, s: EngineState, join: string): void {
  const holds = ix.joins.has(join) && holdsTokens(s, join);
  if (holds === ix.holding.has(join)) return;
  if (holds) ix.holding.add(join);
  else ix.holding.delete(join);
  for (const k of ix.g.keepsLive.get(join) ?? []) if (k.join !== join) bump(ix, s, k.join, k.connector, 0, holds ? 1 : -1);
}

function build(s: EngineState, g: CompiledGraph): FanInIndex {
  const ix: FanInIndex = { g, joins: new Map(), dirty: new Set(), notGrounded: new Set(), holding: new Set() };
  let pos = 0;
  for (const [id, policy] of g.joins) {
    const inputs = (g.triggerIn.get(id) ?? []).map((e) => e.id);
    ix.joins.set(id, { id, pos: pos++, policy, inputs, run: new Map(), hold: new Map(), live: 0, liveEmpty: 0, runLive: 0, runLiveEmpty: 0 });
    ix.dirty.add(id);
  }
  const addRun = (nodeRunId: string): void => {
    for (const k of g.keepsLive.get(s.node_runs[nodeRunId]!.node_id) ?? []) {
      const jl = ix.joins.get(k.join);
      if (jl) jl.run.set(k.connector, (jl.run.get(k.connector) ?? 0) + 1);
    }
  };
  for (const id of s.queue) addRun(id);
  for (const id of s.running) addRun(id);
  for (const id of ix.joins.keys()) {
    if (!holdsTokens(s, id)) continue;
    ix.holding.add(id);
    for (const k of g.keepsLive.get(id) ?? []) {
      const jl = ix.joins.get(k.join);
      if (jl && k.join !== id) jl.hold.set(k.connector, (jl.hold.get(k.connector) ?? 0) + 1);
    }
  }
  for (const jl of ix.joins.values()) recount(s, jl);
  return ix;
}

/** The fan-in index of `s` for graph `g`, built now (every join dirty) if `s` has none yet or had one for another graph. */
export function fanInIndex(s: EngineState, g: CompiledGraph): FanInIndex {
  let ix = INDEX.get(s);
  if (!ix || ix.g !== g) INDEX.set(s, (ix = build(s, g)));
  return ix;
}

/** The fan-in index of `s` if one was built (tests compare it with a full recount). */
export function peekFanInIndex(s: EngineState): FanInIndex | undefined {
  return INDEX.get(s);
}

/** Fold hook: a node run of node `nodeId` entered (+1) or left (-1) the queue or the running list. */
export function fanInActive(s: EngineState, nodeId: string, delta: 1 | -1): void {
  const ix = INDEX.get(s);
  if (!ix) return;
  for (const k of ix.g.keepsLive.get(nodeId) ?? []) bump(ix, s, k.join, k.connector, delta, 0);
}

/** Fold hook: the token queue of `connector` into `join` went from empty to not empty or back (`wasEmpty` before). */
export function fanInQueue(s: EngineState, join: string, connector: string, wasEmpty: boolean): void {
  const ix = INDEX.get(s);
  const jl = ix?.joins.get(join);
  if (!ix || !jl) return;
  const empty = isEmpty(s, join, connector);
  if (empty !== wasEmpty) {
    const run = jl.run.get(connector) ?? 0;
    const hold = jl.hold.get(connector) ?? 0;
    count(jl, run, hold, wasEmpty, -1);
    count(jl, run, hold, empty, 1);
  }
  ix.dirty.add(join);
  setHolding(ix, s, join);
}

/** Fold hook: the join's round state changed (fired in its round) without a queue going empty. */
export function fanInTouch(s: EngineState, join: string): void {
  const ix = INDEX.get(s);
  if (!ix?.joins.has(join)) return;
  ix.dirty.add(join);
  setHolding(ix, s, join);
}

/** Fold hook: the whole state of `join` changed (tokens discarded): recount its inputs. */
export function fanInJoinReset(s: EngineState, join: string): void {
  const ix = INDEX.get(s);
  const jl = ix?.joins.get(join);
  if (!ix || !jl) return;
  recount(s, jl);
  ix.dirty.add(join);
  setHolding(ix, s, join);
}

/** Fold hook: the join states were replaced (rewind): rebuild the index from the state. */
export function fanInRebuild(s: EngineState): void {
  const ix = INDEX.get(s);
  if (ix) INDEX.set(s, build(s, ix.g));
}

/** True when a node run keeps an input of the join live that could still deliver (any input for a count join). */
export function directlyGrounded(jl: JoinLiveness): boolean {
  return jl.policy.policy === 'count' ? jl.runLive > 0 : jl.runLiveEmpty > 0;
}
