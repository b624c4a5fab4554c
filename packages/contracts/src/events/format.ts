/**
 * The event format version of the run log. Every event the runtime appends carries it as `v`; an event without `v`
 * was written before versioning (format 1). Bump it whenever a logged event changes shape, and add the step that
 * rewrites the previous format in `upcast.ts`, so logs written by an older release fold identically after an upgrade.
 */

/** The format of the events written today (the `v` of every new logged event). */
export const EVENT_FORMAT_VERSION = 2;

/** The format an event was written in: its `v`, or 1 when it has none (events logged before the format was versioned). */
export function eventFormatOf(payload: unknown): number {
  const v = typeof payload === 'object' && payload !== null ? (payload as { v?: unknown }).v : undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

/** `payload` stamped with the current format version (the runtime stamps every event it appends). */
export function stampEventFormat<E extends object>(payload: E): E & { v: number } {
  // Object.assign, not `{ ...payload, v }`: the same object, built several times faster by V8 (once per logged event)
  return Object.assign({}, payload, { v: EVENT_FORMAT_VERSION });
}
