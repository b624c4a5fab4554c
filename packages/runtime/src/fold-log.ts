import { applyEvent, initialState, type EngineState } from '@llmctl/engine';
import type { RunStore } from './ports.ts';

/**
 * Format of the folded state kept in snapshots. Bump it whenever `EngineState` changes shape: snapshots of another
 * format are ignored (the log is folded from its first event), so an upgrade never reads a stale state.
 */
export const SNAPSHOT_FORMAT = 1;

/** Default distance, in events, between two snapshots of a run (`LLMCTL_SNAPSHOT_EVERY`). */
export const DEFAULT_SNAPSHOT_EVERY = 50;

/** A snapshot as stored: the folded state right after event `sequence`. */
export interface RunSnapshot {
  sequence: number;
  format: number;
  state: EngineState;
}

/** True when a batch moving the log from `before` to `after` events crosses a multiple of `every`. */
export function snapshotDue(before: number, after: number, every: number): boolean {
  return every > 0 && Math.floor(after / every) > Math.floor(before / every);
}

/**
 * The state of run `runId` folded up to and including event `upTo` (default: the whole log): from the latest
 * snapshot at or before `upTo` (when the store keeps snapshots and its format is current), then the events after it.
 * Takeover and rewind therefore cost O(events since the snapshot), not O(log).
 */
export async function foldLog(store: RunStore, runId: string, upTo = Number.POSITIVE_INFINITY): Promise<EngineState> {
  const snap = await store.loadSnapshot?.(runId, upTo);
  const state = snap && snap.format === SNAPSHOT_FORMAT && snap.sequence <= upTo ? snap.state : initialState(runId);
  for (let after = state.seq; after < upTo; ) {
    const limit = Number.isFinite(upTo) ? Math.min(5000, upTo - after) : 5000;
    const batch = await store.loadEvents(runId, after, limit);
    for (const e of batch) if (e.sequence <= upTo) applyEvent(state, e.payload);
    if (batch.length < limit) break;
    after = batch[batch.length - 1]!.sequence;
  }
  return state;
}
