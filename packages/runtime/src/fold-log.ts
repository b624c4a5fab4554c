import { foldEvent, initialState, type EngineState } from '@llmctl/engine';
import type { RunLog } from './ports.ts';

/**
 * Format of the folded state kept in snapshots. Bump it whenever `EngineState` changes shape: snapshots of another
 * format are ignored (the log is folded from its first event), so an upgrade never reads a stale state.
 */
export const SNAPSHOT_FORMAT = 1;

/**
 * Default least distance, in events, between two snapshots of a run (`LLMCTL_SNAPSHOT_EVERY`). Below a few hundred events
 * folding the log costs a few milliseconds, less than writing the state would: short runs are never snapshotted.
 */
export const DEFAULT_SNAPSHOT_EVERY = 500;

/** A snapshot as stored: the folded state right after event `sequence`. */
export interface RunSnapshot {
  sequence: number;
  format: number;
  state: EngineState;
}

/** Events since the last snapshot, per node run of the state, before the next snapshot is due (see {@link snapshotDue}). */
export const SNAPSHOT_SPACING_PER_NODE_RUN = 2;

/**
 * True when a snapshot is due after a commit that left the log at `seq` events: at least `every` events since the last
 * snapshot (at `lastSeq`), and at least {@link SNAPSHOT_SPACING_PER_NODE_RUN} events per node run of the state. A
 * snapshot holds the whole folded state, which grows with the node runs (their outputs included): snapshotting it at a
 * fixed interval would write each output again at every snapshot (measured: 12.3 WAL copies of a 4 KiB output per hop
 * instead of 5.9). Spacing snapshots by the state's size makes them geometrically rarer as a run grows (a bounded number
 * of extra copies of each output over a run's life, none for runs shorter than `every`), while a takeover still folds
 * only the events after the last snapshot.
 */
export function snapshotDue(lastSeq: number, seq: number, every: number, nodeRuns: number): boolean {
  return every > 0 && seq - lastSeq >= Math.max(every, SNAPSHOT_SPACING_PER_NODE_RUN * nodeRuns);
}

/**
 * The state of run `runId` folded up to and including event `upTo` (default: the whole log): from the latest
 * snapshot at or before `upTo` (when the store keeps snapshots and its format is current), then the events after it.
 * Takeover and rewind therefore cost O(events since the snapshot), not O(log). Each event is upcast to the current
 * event format before it is folded (`foldEvent`), so a log written by an older release folds as it did then.
 */
export async function foldLog(store: Pick<RunLog, 'loadEvents' | 'loadSnapshot'>, runId: string, upTo = Number.POSITIVE_INFINITY): Promise<EngineState> {
  const snap = await store.loadSnapshot?.(runId, upTo);
  const state = snap && snap.format === SNAPSHOT_FORMAT && snap.sequence <= upTo ? snap.state : initialState(runId);
  for (let after = state.seq; after < upTo; ) {
    const limit = Number.isFinite(upTo) ? Math.min(5000, upTo - after) : 5000;
    const batch = await store.loadEvents(runId, after, limit);
    for (const e of batch) if (e.sequence <= upTo) foldEvent(state, e.payload);
    if (batch.length < limit) break;
    after = batch[batch.length - 1]!.sequence;
  }
  return state;
}
