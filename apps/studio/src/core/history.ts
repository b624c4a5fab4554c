/** Immutable undo/redo history of snapshots, with optional coalescing of consecutive edits to the same field. */

/** A history: past snapshots (oldest first), the present, and undone snapshots (most recent undo last). */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Key of the last push, for coalescing (e.g. typing into one field). */
  lastKey: string | null;
  limit: number;
}

/** Creates a history whose present is `initial`. */
export function createHistory<T>(initial: T, limit = 100): History<T> {
  return { past: [], present: initial, future: [], lastKey: null, limit };
}

/**
 * Records `next` as the new present. When `coalesceKey` equals the previous push's key, the present is replaced
 * instead (one undo step for a run of keystrokes in the same field). Clears the redo stack.
 */
export function pushHistory<T>(h: History<T>, next: T, coalesceKey?: string): History<T> {
  if (next === h.present) return h;
  if (coalesceKey !== undefined && coalesceKey === h.lastKey && h.past.length > 0) {
    return { ...h, present: next, future: [] };
  }
  const past = [...h.past, h.present];
  if (past.length > h.limit) past.splice(0, past.length - h.limit);
  return { ...h, past, present: next, future: [], lastKey: coalesceKey ?? null };
}

/** Replaces the present without creating an undo step (measurements, selection-free cosmetic updates, drags). */
export function replacePresent<T>(h: History<T>, next: T): History<T> {
  return next === h.present ? h : { ...h, present: next };
}

/** Saves the present as an undo step without changing it (e.g. when a drag starts). */
export function checkpoint<T>(h: History<T>): History<T> {
  const past = [...h.past, h.present];
  if (past.length > h.limit) past.splice(0, past.length - h.limit);
  return { ...h, past, future: [], lastKey: null };
}

/** Steps back one snapshot; a no-op when there is nothing to undo. */
export function undo<T>(h: History<T>): History<T> {
  const prev = h.past[h.past.length - 1];
  if (prev === undefined) return h;
  return { ...h, past: h.past.slice(0, -1), present: prev, future: [...h.future, h.present], lastKey: null };
}

/** Re-applies the most recently undone snapshot; a no-op when there is nothing to redo. */
export function redo<T>(h: History<T>): History<T> {
  const next = h.future[h.future.length - 1];
  if (next === undefined) return h;
  return { ...h, past: [...h.past, h.present], present: next, future: h.future.slice(0, -1), lastKey: null };
}

/** Whether {@link undo} would change anything. */
export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0;
/** Whether {@link redo} would change anything. */
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0;
