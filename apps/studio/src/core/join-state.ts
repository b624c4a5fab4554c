/**
 * The studio's fold of the engine's join events (runtime.md fan-in; engine `run/apply-event.ts`): tokens held per
 * connector of each join, and tokens a join discarded. Folded from the run's logged events — `token.enqueued` adds a
 * token, `node.queued` with `join.consumed` takes the head token of each consumed connector, `join.discarded` empties
 * the join (the tokens are kept as discarded), `run.rewound` restores the joins of the checkpoint, and a finished
 * run's `leftover_tokens` are recorded as discarded too. Same rules as the engine's projection, kept, never dropped.
 */

/** A token held by (or discarded from) a join. */
export interface HeldToken {
  connector_id: string;
  source_node_id: string | null;
  source_node_run_id: string | null;
  seq: number | null;
}

/** What the studio knows about one join node. */
export interface JoinView {
  /** FIFO tokens per incoming connector id. */
  queues: Record<string, HeldToken[]>;
  /** Tokens the join discarded (when its round closed without firing, or the run ended), oldest first. */
  discarded: (HeldToken & { at: string | null; reason: 'join.discarded' | 'run_finished' })[];
}

/** Join views per node id. */
export type JoinViews = Record<string, JoinView>;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function tokenOf(t: unknown, connector: string | null): HeldToken | null {
  if (!isRec(t)) return null;
  const c = connector ?? s(t.connector_id);
  if (!c) return null;
  return { connector_id: c, source_node_id: s(t.source_node_id), source_node_run_id: s(t.source_node_run_id), seq: typeof t.seq === 'number' ? t.seq : null };
}

const empty = (): JoinView => ({ queues: {}, discarded: [] });

/** Applies one logged event (its engine payload `{ kind, ... }`) to the join views; other events change nothing. */
export function foldJoinEvent(joins: JoinViews, env: { payload?: unknown }): JoinViews {
  const p = env.payload;
  if (!isRec(p)) return joins;
  const at = s(p.at);
  switch (p.kind) {
    case 'token.enqueued': {
      const node = s(p.node_id);
      const tok = tokenOf(p.token, s(p.connector_id));
      if (!node || !tok) return joins;
      const j = joins[node] ?? empty();
      return { ...joins, [node]: { ...j, queues: { ...j.queues, [tok.connector_id]: [...(j.queues[tok.connector_id] ?? []), tok] } } };
    }
    case 'node.queued': {
      const node = s(p.node_id) ?? (isRec(p.node_run) ? s(p.node_run.node_id) : null);
      const consumed = isRec(p.join) && Array.isArray(p.join.consumed) ? (p.join.consumed as unknown[]).filter((c): c is string => typeof c === 'string') : [];
      if (!node || consumed.length === 0 || !joins[node]) return joins;
      const queues = { ...joins[node].queues };
      for (const c of consumed) if (queues[c]?.length) queues[c] = queues[c].slice(1);
      return { ...joins, [node]: { ...joins[node], queues } };
    }
    case 'join.discarded': {
      const node = s(p.node_id);
      if (!node) return joins;
      const j = joins[node] ?? empty();
      const listed = Array.isArray(p.tokens) ? p.tokens.map((t) => tokenOf(t, null)).filter((t): t is HeldToken => t !== null) : [];
      const gone = listed.length ? listed : Object.values(j.queues).flat();
      return { ...joins, [node]: { queues: {}, discarded: [...j.discarded, ...gone.map((t) => ({ ...t, at, reason: 'join.discarded' as const }))] } };
    }
    case 'run.rewound': {
      if (!isRec(p.joins)) return joins;
      const out: JoinViews = {};
      for (const [node, v] of Object.entries(p.joins)) {
        const queues: Record<string, HeldToken[]> = {};
        if (isRec(v) && isRec(v.queues)) {
          for (const [c, list] of Object.entries(v.queues)) queues[c] = Array.isArray(list) ? list.map((t) => tokenOf(t, c)).filter((t): t is HeldToken => t !== null) : [];
        }
        out[node] = { queues, discarded: joins[node]?.discarded ?? [] };
      }
      for (const [node, j] of Object.entries(joins)) if (!out[node] && j.discarded.length) out[node] = { queues: {}, discarded: j.discarded };
      return out;
    }
    case 'run.status': {
      if (!Array.isArray(p.leftover_tokens) || p.leftover_tokens.length === 0) return joins;
      const out = { ...joins };
      for (const t of p.leftover_tokens) {
        if (!isRec(t)) continue;
        const node = s(t.node_id);
        const tok = tokenOf(t, null);
        if (!node || !tok) continue;
        const j = out[node] ?? empty();
        out[node] = { queues: {}, discarded: [...j.discarded, { ...tok, at, reason: 'run_finished' }] };
      }
      return out;
    }
    default:
      return joins;
  }
}

/** Tokens held by a join right now. */
export function heldCount(j: JoinView): number {
  return Object.values(j.queues).reduce((n, q) => n + q.length, 0);
}
