import { foldEvent, initialState, type EngineState, type JoinState, type NodeRunState, type Token } from '@llmctl/engine';
import { compactToken, expandToken } from './output-refs.ts';
import { packToken, packedNodeRunJson, unpackNodeRun, unpackToken, unpackedContext, type PackedNodeRun, type PackedToken } from './snapshot-pack.ts';
import { expandContext } from './context-refs.ts';
import type { RunLog } from './ports.ts';

/**
 * Format of the folded state kept in snapshots. Bump it whenever `EngineState` or its stored form changes. Format 3
 * keeps large node-run outputs by reference (the sequence of the event that logged them) and token outputs by
 * reference to their source node run (`$ref`, see output-refs.ts), and packs node runs and tokens as arrays
 * (snapshot-pack.ts: no key names, ~1/3 smaller to write and to parse). Format 1 (the whole state as it is, written
 * by earlier releases) still loads; format 2 (never released) and any other format are ignored: the log is folded
 * from its first event.
 */
export const SNAPSHOT_FORMAT = 3;

/** Snapshot formats {@link foldLog} reads. */
export const SNAPSHOT_FORMATS_READ: readonly number[] = [1, 3];

/**
 * Default least distance, in events, between two snapshots of a run (`LLMCTL_SNAPSHOT_EVERY`). Below a few hundred events
 * folding the log costs a few milliseconds, less than writing the state would: short runs are never snapshotted.
 */
export const DEFAULT_SNAPSHOT_EVERY = 500;

/** A snapshot as stored: the folded state right after event `sequence`. */
export interface RunSnapshot {
  sequence: number;
  format: number;
  /** The state as stored (format 2: outputs by reference; {@link decodeSnapshot} puts them back). */
  state: EngineState;
  /** Format 2: the outputs the state refers to, by the sequence of the event that logged them (as text). */
  outputs?: Record<string, unknown>;
}

/** Events since the last snapshot, per node run of the state, before the next snapshot is due (see {@link snapshotDue}). */
export const SNAPSHOT_SPACING_PER_NODE_RUN = 0.25;

/**
 * True when a snapshot is due after a commit that left the log at `seq` events: at least `every` events since the last
 * snapshot (at `lastSeq`), and at least {@link SNAPSHOT_SPACING_PER_NODE_RUN} events per node run of the state. Outputs
 * are kept by reference (format 2), so a snapshot no longer copies every output; what still grows with the run is the
 * node runs' bookkeeping (~0.5 KB each), which the per-node-run spacing keeps to a bounded number of copies over a
 * run's life while a takeover folds at most `max(every, nodeRuns / 4)` events after the snapshot.
 */
export function snapshotDue(lastSeq: number, seq: number, every: number, nodeRuns: number): boolean {
  return every > 0 && seq - lastSeq >= Math.max(every, SNAPSHOT_SPACING_PER_NODE_RUN * nodeRuns);
}

/** Outputs longer than this (JSON characters) are kept by reference in a snapshot; shorter ones inline. */
export const SNAPSHOT_INLINE_OUTPUT = 256;

const sizes = new WeakMap<object, number>();

/** JSON size of an output (objects measured once: an output never changes once logged). */
function large(v: unknown): boolean {
  if (typeof v === 'string') return v.length > SNAPSHOT_INLINE_OUTPUT;
  if (v === null || typeof v !== 'object') return false;
  let n = sizes.get(v);
  if (n === undefined) sizes.set(v, (n = JSON.stringify(v)?.length ?? 0));
  return n > SNAPSHOT_INLINE_OUTPUT;
}

/**
 * The stored form of a state (format {@link SNAPSHOT_FORMAT}) as JSON text: each large output of a finished node run
 * is left out (the event at its `done_seq` logged it; those sequences are listed last, in `$refs`, see
 * {@link snapshotRefs}), each token whose output is its source node run's output (or that output's `value`) keeps a
 * reference, and node runs and tokens are packed as arrays. A snapshot's size therefore no longer grows with the outputs.
 */
export function encodeSnapshot(s: EngineState): string {
  const refs: number[] = [];
  const nodeRuns: string[] = [];
  for (const nr of Object.values(s.node_runs)) {
    // packed node runs are kept as text per node run (packedNodeRunJson): only the changed ones are packed again
    const packed = packedNodeRunJson(s.run_id, nr, s.node_runs, large);
    if (packed.ref !== null) refs.push(packed.ref);
    nodeRuns.push(packed.json);
  }
  const joins: string[] = [];
  for (const [id, j] of Object.entries(s.joins)) {
    const queues: string[] = [];
    for (const [c, q] of Object.entries(j.queues)) queues.push(`${JSON.stringify(c)}:[${q.map((t) => packedTokenJson(t, s.node_runs)).join(',')}]`);
    // `queues` is the join's only non-scalar field: its text replaces the placeholder 0, in its key's place
    joins.push(`${JSON.stringify(id)}:${JSON.stringify({ ...j, queues: 0 }).replace('"queues":0', `"queues":{${queues.join(',')}}`)}`);
  }
  // The text of JSON.stringify({ ...s, node_runs: <packed>, joins: <packed>, $refs }), written key by key so the kept
  // texts are spliced in (a key whose value JSON leaves out, `undefined`, is left out here too). `$refs` goes last: a
  // store can read the referenced sequences off the end of the text (snapshotRefs).
  const parts: string[] = [];
  for (const [k, v] of Object.entries({ ...s, node_runs: null, joins: null, $refs: refs })) {
    const text = k === 'node_runs' ? `[${nodeRuns.join(',')}]` : k === 'joins' ? `{${joins.join(',')}}` : (JSON.stringify(v) as string | undefined);
    if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

const tokenTexts = new WeakMap<Token, string>();

/**
 * A join token packed as JSON text, kept per token: a token never changes, nor does the output of its source node
 * run once logged (which decides whether it is kept by reference).
 */
function packedTokenJson(t: Token, sources: EngineState['node_runs']): string {
  let text = tokenTexts.get(t);
  if (text === undefined) tokenTexts.set(t, (text = JSON.stringify(packToken(compactToken(t, sources)))));
  return text;
}

/** The event sequences a snapshot text of {@link encodeSnapshot} refers to (read off its end; [] for other texts). */
export function snapshotRefs(stateJson: string): number[] {
  const i = stateJson.lastIndexOf(',"$refs":[');
  if (i < 0 || !stateJson.endsWith(']}')) return [];
  const refs = JSON.parse(stateJson.slice(i + 9, -1)) as unknown;
  return Array.isArray(refs) && refs.every((x) => Number.isSafeInteger(x)) ? (refs as number[]) : [];
}

/**
 * The state of a stored snapshot: format 1 as it is; format 3 unpacked, with its outputs put back (`outputs`: the
 * referenced events' outputs by sequence) and its token outputs and context values resolved from their source node
 * runs (a snapshot written before context values were kept by reference has them inline: read as they are).
 */
export function decodeSnapshot(stored: EngineState, format: number, outputs: Record<string, unknown> = {}): EngineState {
  if (format === 1) return stored;
  if (format !== SNAPSHOT_FORMAT) throw new Error(`snapshot format ${format} cannot be read`);
  const raw = stored as EngineState & { $refs?: number[] };
  const nodeRuns: Record<string, NodeRunState> = {};
  for (const packed of raw.node_runs as unknown as PackedNodeRun[]) {
    const nr = unpackNodeRun(raw.run_id, packed, outputs);
    nodeRuns[nr.id] = nr;
  }
  raw.node_runs = nodeRuns;
  const outputOf = (id: string): unknown => nodeRuns[id]?.output;
  const expand = (t: unknown): Token => expandToken(unpackToken(t as PackedToken), outputOf);
  for (const nr of Object.values(nodeRuns)) {
    nr.tokens = (nr.tokens as unknown[]).map(expand);
    if (Array.isArray(nr.context)) {
      const { context, refs } = unpackedContext(nr.context);
      nr.context = context && expandContext(context, refs, outputOf);
    }
  }
  for (const j of Object.values(raw.joins) as JoinState[]) {
    for (const c of Object.keys(j.queues)) j.queues[c] = (j.queues[c] as unknown[]).map(expand);
  }
  delete raw.$refs;
  return raw;
}

/**
 * The state of run `runId` folded up to and including event `upTo` (default: the whole log): from the latest
 * snapshot at or before `upTo` (when the store keeps snapshots and reads its format), then the events after it.
 * Takeover and rewind therefore cost O(events since the snapshot), not O(log). Each event is upcast to the current
 * event format before it is folded (`foldEvent`), so a log written by an older release folds as it did then.
 */
export async function foldLog(store: Pick<RunLog, 'loadEvents' | 'loadSnapshot'>, runId: string, upTo = Number.POSITIVE_INFINITY): Promise<EngineState> {
  const snap = await store.loadSnapshot?.(runId, upTo);
  const state = snap && SNAPSHOT_FORMATS_READ.includes(snap.format) && snap.sequence <= upTo
    ? decodeSnapshot(snap.state, snap.format, snap.outputs)
    : initialState(runId);
  for (let after = state.seq; after < upTo; ) {
    const limit = Number.isFinite(upTo) ? Math.min(5000, upTo - after) : 5000;
    const batch = await store.loadEvents(runId, after, limit);
    for (const e of batch) if (e.sequence <= upTo) foldEvent(state, e.payload);
    if (batch.length < limit) break;
    after = batch[batch.length - 1]!.sequence;
  }
  return state;
}
