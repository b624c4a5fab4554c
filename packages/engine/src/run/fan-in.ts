import type { ErrorInfo, LeftoverToken } from '@llmctl/contracts';
import type { EngineState, JoinState, Token } from './state.ts';
import { tokenOrder } from './state.ts';
import type { Tx } from './tx.ts';

type Live = Map<string, Set<string>>; // join id → live connector ids

function headTokens(j: JoinState): { connector: string; token: Token }[] {
  return Object.entries(j.queues)
    .filter(([, q]) => q.length > 0)
    .map(([connector, q]) => ({ connector, token: q[0]! }));
}

function holdsTokens(j: JoinState | undefined): boolean {
  return !!j && Object.values(j.queues).some((q) => q.length > 0);
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

export function keyFor(tx: Tx, nodeId: string, iteration: number): string {
  return `run:${tx.s.run_id}:node:${nodeId}:iter:${iteration}${tx.s.rev > 0 ? `:rev:${tx.s.rev}` : ''}`;
}

/** Tokens left in join queues, as the run's `leftover_tokens`. */
export function leftoverTokens(s: EngineState): LeftoverToken[] {
  const out: LeftoverToken[] = [];
  for (const [node_id, j] of Object.entries(s.joins)) {
    for (const [connector_id, q] of Object.entries(j.queues)) {
      for (const t of q) out.push({ node_id, connector_id, source_node_run_id: t.source_node_run_id ?? '' });
    }
  }
  return out;
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
 * must fail the run, if any.
 */
export function settleJoins(tx: Tx): ErrorInfo | null {
  const { g, s } = tx;
  for (let guard = 0; guard < 100_000; guard++) {
    const waiting = [...g.joins.keys()].filter((id) => {
      const j = s.joins[id];
      return holdsTokens(j) || (g.joins.get(id)!.policy === 'count' && (j?.round_open ?? false));
    });
    if (waiting.length === 0) return null;
    const active = activeNodes(s);
    const liveRuns: Live = new Map();
    markLive(tx, liveRuns, active);
    const live: Live = new Map([...liveRuns].map(([k, v]) => [k, new Set(v)]));
    for (const k of waiting) {
      if (!holdsTokens(s.joins[k])) continue;
      for (const { join, connector } of g.keepsLive.get(k) ?? []) {
        if (join === k) continue;
        let set = live.get(join);
        if (!set) live.set(join, (set = new Set()));
        set.add(connector);
      }
    }
    const isLive = (m: Live, join: string, c: string): boolean => m.get(join)?.has(c) ?? false;

    // 1. Ready joins fire, the one holding the oldest head token first.
    const ready: { id: string; connectors: string[]; head: Token }[] = [];
    for (const id of waiting) {
      const j = s.joins[id]!;
      const policy = g.joins.get(id)!;
      const inputs = inputsOf(tx, id);
      const withTok = inputs.filter((c) => (j.queues[c]?.length ?? 0) > 0);
      if (withTok.length === 0) continue;
      const head = oldestHead(j)!;
      if (policy.policy === 'inclusive') {
        if (inputs.every((c) => withTok.includes(c) || !isLive(live, id, c))) ready.push({ id, connectors: withTok, head });
      } else if (policy.policy === 'all') {
        if (withTok.length === inputs.length) ready.push({ id, connectors: withTok, head });
      } else if (policy.policy === 'count') {
        if (!j.fired_in_round && withTok.length >= policy.count) {
          const chosen = withTok.sort((a, b) => tokenOrder(j.queues[a]![0]!, j.queues[b]![0]!)).slice(0, policy.count);
          ready.push({ id, connectors: chosen, head });
        }
      }
    }
    if (ready.length > 0) {
      ready.sort((a, b) => tokenOrder(a.head, b.head));
      const r = ready[0]!;
      fire(tx, r.id, r.connectors);
      continue;
    }

    // 2. Strict checks: an `all` join missing a token on a dead input is starved; a count round with no live input ends.
    let changed = false;
    for (const id of waiting) {
      const j = s.joins[id]!;
      const policy = g.joins.get(id)!;
      const inputs = inputsOf(tx, id);
      if (policy.policy === 'all') {
        if (holdsTokens(j) && inputs.some((c) => (j.queues[c]?.length ?? 0) === 0 && !isLive(live, id, c))) return starvedError(tx, id);
      } else if (policy.policy === 'count') {
        if (inputs.every((c) => !isLive(live, id, c))) {
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
    }
    if (changed) continue;

    // 3. Joins that only keep each other live: fire the ungrounded inclusive join with the oldest token, else starve.
    const grounded = new Set<string>();
    for (let more = true; more; ) {
      more = false;
      for (const id of waiting) {
        if (grounded.has(id)) continue;
        const j = s.joins[id]!;
        const blocking = inputsOf(tx, id).filter((c) => (j.queues[c]?.length ?? 0) === 0 || g.joins.get(id)!.policy === 'count');
        const ok = blocking.some((c) => {
          if (isLive(liveRuns, id, c)) return true;
          const reach = g.liveSets.get(id)?.get(c);
          return !!reach && [...grounded].some((k) => k !== id && reach.has(k));
        });
        if (ok) {
          grounded.add(id);
          more = true;
        }
      }
    }
    const ungrounded = waiting.filter((id) => !grounded.has(id) && holdsTokens(s.joins[id]));
    if (ungrounded.length === 0) return null;
    const byAge = ungrounded.sort((a, b) => tokenOrder(oldestHead(s.joins[a]!)!, oldestHead(s.joins[b]!)!));
    const inclusive = byAge.find((id) => g.joins.get(id)!.policy === 'inclusive');
    if (inclusive) {
      const j = s.joins[inclusive]!;
      fire(tx, inclusive, inputsOf(tx, inclusive).filter((c) => (j.queues[c]?.length ?? 0) > 0));
      continue;
    }
    return starvedError(tx, byAge[0]!);
  }
  throw new Error('settleJoins did not converge');
}
