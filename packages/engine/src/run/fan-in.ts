import type { ErrorInfo, LeftoverToken } from '@llmctl/contracts';
import type { EngineState, JoinState, Token } from './state.ts';
import { tokenOrder } from './state.ts';
import type { Tx } from './tx.ts';
import { directlyGrounded, fanInIndex, type JoinLiveness } from './fan-in-index.ts';

/** The oldest head token (one pass: a join of a wide fan-out has a connector per branch). */
function oldestHead(j: JoinState): Token | undefined {
  let best: Token | undefined;
  for (const c in j.queues) {
    const t = j.queues[c]![0];
    if (t && (!best || tokenOrder(t, best) < 0)) best = t;
  }
  return best;
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

function isWaiting(j: JoinState | undefined, jl: JoinLiveness): j is JoinState {
  return !!j && (j.held > 0 || (jl.policy.policy === 'count' && j.round_open));
}

/** A waiting join that can fire now (runtime.md "Fan-in" policies). */
function isReady(j: JoinState, jl: JoinLiveness): boolean {
  if (j.held === 0) return false;
  const policy = jl.policy;
  return policy.policy === 'inclusive' ? jl.liveEmpty === 0
    : policy.policy === 'all' ? j.filled === jl.inputs.length
    : policy.policy === 'count' ? !j.fired_in_round && j.filled >= policy.count
    : false;
}

/**
 * Settles the joins after a change (runtime.md "Fan-in"): fires ready joins (oldest head token first, re-checking
 * after each), ends count rounds, breaks deadlocks between ungrounded joins, and returns the starvation error that
 * must fail the run, if any.
 *
 * Incremental: the fan-in index (fan-in-index.ts) keeps, per join input, the number of queued/running node runs and of
 * token-holding joins that keep it live, updated by the fold; only joins marked dirty since the last pass (their counts
 * or tokens changed) are examined. A clean join is neither ready nor starved nor at the end of a count round, since
 * those depend only on its own tokens and counts, so a pass costs O(dirty joins), O(1) amortised per commit. Only
 * while some waiting join has no node run keeping it live (joins that keep each other live) does the deadlock check
 * look at every waiting join.
 */
export function settleJoins(tx: Tx): ErrorInfo | null {
  const { g, s } = tx;
  const ix = fanInIndex(s, g);
  const isEmpty = (j: JoinState, c: string): boolean => (j.queues[c]?.length ?? 0) === 0;
  for (let guard = 0; guard < 100_000; guard++) {
    if (ix.dirty.size === 0 && ix.notGrounded.size === 0) return null;
    const dirty: JoinLiveness[] = [];
    for (const id of ix.dirty) {
      const jl = ix.joins.get(id)!;
      if (isWaiting(s.joins[id], jl)) dirty.push(jl);
    }
    dirty.sort((a, b) => a.pos - b.pos);

    // 1. Ready joins fire, the one holding the oldest head token first.
    let best: { id: string; head: Token } | null = null;
    for (const jl of dirty) {
      const j = s.joins[jl.id]!;
      if (!isReady(j, jl)) continue;
      const head = oldestHead(j)!;
      if (!best || tokenOrder(head, best.head) < 0) best = { id: jl.id, head };
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
    for (const jl of dirty) {
      const id = jl.id;
      const j = s.joins[id]!;
      if (jl.policy.policy === 'all') {
        if (j.held > 0 && jl.inputs.length - j.filled > jl.liveEmpty) return starvedError(tx, id);
      } else if (jl.policy.policy === 'count' && jl.live === 0) {
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
    for (const id of ix.dirty) {
      const jl = ix.joins.get(id)!;
      if (isWaiting(s.joins[id], jl) && !directlyGrounded(jl)) ix.notGrounded.add(id);
      else ix.notGrounded.delete(id);
    }
    ix.dirty.clear();
    if (ix.notGrounded.size === 0) return null;

    // 3. Joins that only keep each other live: fire the ungrounded inclusive join with the oldest token, else starve.
    const waiting: string[] = [];
    for (const [id, jl] of ix.joins) if (isWaiting(s.joins[id], jl)) waiting.push(id);
    const grounded = new Set<string>();
    for (let more = true; more; ) {
      more = false;
      for (const id of waiting) {
        if (grounded.has(id)) continue;
        const j = s.joins[id]!;
        const counting = g.joins.get(id)!.policy === 'count';
        let ok = directlyGrounded(ix.joins.get(id)!);
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
