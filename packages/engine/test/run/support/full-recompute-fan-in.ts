// TEST ORACLE: the fan-in settle pass as it was before incremental fan-in (git history: packages/engine/src/run/fan-in.ts),
// which rebuilds liveness from the whole queue/running set on every pass. Kept in test code only, to check that the
// incremental engine fires, discards and starves exactly as this full recompute does.
import type { ErrorInfo } from '@llmctl/contracts';
import type { CompiledGraph } from '../../../src/graph.ts';
import { keyFor, leftoverTokens } from '../../../src/run/fan-in.ts';
import type { EngineState, JoinState, Token } from '../../../src/run/state.ts';
import { tokenOrder } from '../../../src/run/state.ts';
import type { Tx } from '../../../src/run/tx.ts';

type Live = Map<string, Set<string>>; // join id → live connector ids
const EMPTY: ReadonlySet<string> = new Set();

function headTokens(j: JoinState): { connector: string; token: Token }[] {
  return Object.entries(j.queues)
    .filter(([, q]) => q.length > 0)
    .map(([connector, q]) => ({ connector, token: q[0]! }));
}

function oldestHead(j: JoinState): Token | undefined {
  return headTokens(j).map((h) => h.token).sort(tokenOrder)[0];
}

/** Node ids with a queued or running node run. */
function activeNodes(s: EngineState): Set<string> {
  const set = new Set<string>();
  for (const id of s.queue) set.add(s.node_runs[id]!.node_id);
  for (const id of s.running) set.add(s.node_runs[id]!.node_id);
  return set;
}

function markLive(tx: Tx, live: Live, fromNodes: Iterable<string>, exceptJoin?: string): void {
  for (const n of fromNodes) {
    for (const { join, connector } of tx.g.keepsLive.get(n) ?? []) {
      if (join === exceptJoin) continue;
      let set = live.get(join);
      if (!set) live.set(join, (set = new Set()));
      set.add(connector);
    }
  }
}

function inputsOf(tx: Tx, joinId: string): string[] {
  return (tx.g.triggerIn.get(joinId) ?? []).map((e) => e.id);
}

/** Queues the join's node run with the given consumed connectors (their oldest tokens). */
function fire(tx: Tx, joinId: string, connectors: string[]): void {
  const j = tx.s.joins[joinId]!;
  const node = tx.g.nodes.get(joinId)!;
  const ordered = connectors.sort((a, b) => (tx.g.edgeOrder.get(a) ?? 0) - (tx.g.edgeOrder.get(b) ?? 0));
  const tokens = ordered.map((c) => j.queues[c]![0]!);
  const iteration = (tx.s.iterations[joinId] ?? 0) + 1;
  tx.emit({
    kind: 'node.queued', node_id: joinId, at: tx.now, join: { consumed: ordered },
    node_run: {
      id: tx.newId(), node_id: joinId, node_type: node.type, iteration, tokens, retry_of: null, rewound_from: null,
      idempotency_key: keyFor(tx, joinId, iteration),
    },
  });
}

function starvedError(tx: Tx, joinId: string): ErrorInfo {
  const j = tx.s.joins[joinId]!;
  const all = inputsOf(tx, joinId);
  const withTokens = all.filter((c) => (j.queues[c]?.length ?? 0) > 0);
  const policy = tx.g.joins.get(joinId)!;
  return {
    code: 'fan_in_starved',
    message: `join ${joinId} (${policy.policy}${policy.policy === 'count' ? ` ${policy.count}` : ''}) can never fire: inputs ${all.filter((c) => !withTokens.includes(c)).join(', ')} can no longer deliver`,
    details: { node_id: joinId, policy: policy.policy, connectors_with_tokens: withTokens, connectors_without_tokens: all.filter((c) => !withTokens.includes(c)) },
    retryable: false,
  };
}

/**
 * Settles every join after a change (runtime.md "Fan-in"): fires ready joins (oldest head token first, re-checking
 * after each), ends count rounds, breaks deadlocks between ungrounded joins, and returns the starvation error that
 * must fail the run, if any. Cost per pass: O(joins + active node runs + live inputs), not O(inputs): the join state
 * keeps counts of held tokens and filled connectors.
 */
export function settleJoinsFullRecompute(tx: Tx): ErrorInfo | null {
  const { g, s } = tx;
  const isEmpty = (j: JoinState, c: string): boolean => (j.queues[c]?.length ?? 0) === 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const waiting: string[] = [];
    for (const [id, policy] of g.joins) {
      const j = s.joins[id];
      if (j && (j.held > 0 || (policy.policy === 'count' && j.round_open))) waiting.push(id);
    }
    if (waiting.length === 0) return null;
    const liveRuns: Live = new Map();
    markLive(tx, liveRuns, activeNodes(s));
    const live: Live = new Map([...liveRuns].map(([k, v]) => [k, new Set(v)]));
    for (const k of waiting) if (s.joins[k]!.held > 0) markLive(tx, live, [k], k);
    const liveOf = (join: string): ReadonlySet<string> => live.get(join) ?? EMPTY;
    /** Inputs without a token that can still deliver. */
    const liveEmpty = (id: string, j: JoinState): number => {
      let n = 0;
      for (const c of liveOf(id)) if (isEmpty(j, c)) n += 1;
      return n;
    };

    // 1. Ready joins fire, the one holding the oldest head token first.
    let best: { id: string; head: Token } | null = null;
    for (const id of waiting) {
      const j = s.joins[id]!;
      if (j.held === 0) continue;
      const policy = g.joins.get(id)!;
      const inputs = g.triggerIn.get(id)!.length;
      const ready =
        policy.policy === 'inclusive' ? liveEmpty(id, j) === 0
        : policy.policy === 'all' ? j.filled === inputs
        : policy.policy === 'count' ? !j.fired_in_round && j.filled >= policy.count
        : false;
      if (!ready) continue;
      const head = oldestHead(j)!;
      if (!best || tokenOrder(head, best.head) < 0) best = { id, head };
    }
    if (best) {
      const j = s.joins[best.id]!;
      const policy = g.joins.get(best.id)!;
      let withTok = inputsOf(tx, best.id).filter((c) => !isEmpty(j, c));
      if (policy.policy === 'count') withTok = withTok.sort((a, b) => tokenOrder(j.queues[a]![0]!, j.queues[b]![0]!)).slice(0, policy.count);
      fire(tx, best.id, withTok);
      continue;
    }

    // 2. Strict checks: an `all` join missing a token on a dead input is starved; a count round with no live input ends.
    let changed = false;
    for (const id of waiting) {
      const j = s.joins[id]!;
      const policy = g.joins.get(id)!;
      const inputs = g.triggerIn.get(id)!.length;
      if (policy.policy === 'all') {
        if (j.held > 0 && inputs - j.filled > liveEmpty(id, j)) return starvedError(tx, id);
      } else if (policy.policy === 'count' && liveOf(id).size === 0) {
        if (!j.fired_in_round) return starvedError(tx, id);
        const tokens = leftoverTokens({ ...s, joins: { [id]: j } });
        tx.emit({ kind: 'join.discarded', node_id: id, tokens, at: tx.now });
        if (tokens.length > 0) {
          tx.emit({ kind: 'run.warning', at: tx.now, warning: { code: 'fan_in_tokens_discarded', message: `join ${id}: ${tokens.length} token(s) arrived after its quorum and were discarded` } });
        }
        changed = true;
        break;
      }
    }
    if (changed) continue;

    // 3. Joins that only keep each other live: fire the ungrounded inclusive join with the oldest token, else starve.
    const grounded = new Set<string>();
    for (let more = true; more; ) {
      more = false;
      for (const id of waiting) {
        if (grounded.has(id)) continue;
        const j = s.joins[id]!;
        const counting = g.joins.get(id)!.policy === 'count';
        let ok = false;
        for (const c of liveRuns.get(id) ?? EMPTY) if (counting || isEmpty(j, c)) ok = true;
        if (!ok) {
          for (const k of grounded) {
            if (k === id) continue;
            for (const { join, connector } of g.keepsLive.get(k) ?? []) if (join === id && (counting || isEmpty(j, connector))) ok = true;
          }
        }
        if (ok) {
          grounded.add(id);
          more = true;
        }
      }
    }
    const ungrounded = waiting.filter((id) => !grounded.has(id) && s.joins[id]!.held > 0);
    if (ungrounded.length === 0) return null;
    const byAge = ungrounded.sort((a, b) => tokenOrder(oldestHead(s.joins[a]!)!, oldestHead(s.joins[b]!)!));
    const inclusive = byAge.find((id) => g.joins.get(id)!.policy === 'inclusive');
    if (inclusive) {
      const j = s.joins[inclusive]!;
      fire(tx, inclusive, inputsOf(tx, inclusive).filter((c) => !isEmpty(j, c)));
      continue;
    }
    return starvedError(tx, byAge[0]!);
  }
  throw new Error('settleJoins did not converge');
}

/**
 * Per join input, recounted from scratch: queue/running entries whose node keeps it live (`run`), and token-holding
 * joins that keep it live (`hold`). Zero counts are left out.
 */
export function recountLiveness(g: CompiledGraph, s: EngineState): Map<string, { run: Map<string, number>; hold: Map<string, number> }> {
  const out = new Map<string, { run: Map<string, number>; hold: Map<string, number> }>();
  for (const id of g.joins.keys()) out.set(id, { run: new Map(), hold: new Map() });
  const add = (m: Map<string, number>, c: string): void => void m.set(c, (m.get(c) ?? 0) + 1);
  for (const id of [...s.queue, ...s.running]) {
    for (const k of g.keepsLive.get(s.node_runs[id]!.node_id) ?? []) add(out.get(k.join)!.run, k.connector);
  }
  for (const id of g.joins.keys()) {
    if ((s.joins[id]?.held ?? 0) === 0) continue;
    for (const k of g.keepsLive.get(id) ?? []) if (k.join !== id) add(out.get(k.join)!.hold, k.connector);
  }
  return out;
}

/** The old pass's live connector sets (runs plus token-holding joins), per join: what the counts must agree with. */
export function liveSetsFullRecompute(g: CompiledGraph, s: EngineState): Map<string, Set<string>> {
  const live: Live = new Map();
  const tx = { g } as Tx;
  markLive(tx, live, activeNodes(s));
  for (const [k] of g.joins) if ((s.joins[k]?.held ?? 0) > 0) markLive(tx, live, [k], k);
  return live;
}
