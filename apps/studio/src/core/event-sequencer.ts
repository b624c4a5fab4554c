/**
 * Gap-free ordering of a run's realtime events. Logged events carry a per-run `sequence` that increases by exactly
 * one; the sequencer releases them in order, drops duplicates, holds events that arrive after a gap and tells the
 * caller to catch up (`GET /api/runs/:id/events?after_sequence=N`). Events with `sequence: null` (tokens) pass through.
 */

/** The part of an event envelope the sequencer looks at. */
export interface SequencedEvent {
  sequence: number | null;
}

/** What the caller should do after offering events. */
export interface SequencerResult<E> {
  /** Events to apply now, in order. */
  apply: E[];
  /** True when events are missing before a held one: fetch events after {@link EventSequencer.lastSequence}. */
  gap: boolean;
}

/** Orders one run's events; see the module comment. */
export class EventSequencer<E extends SequencedEvent> {
  private held = new Map<number, E>();

  /** @param lastSequence the highest sequence already applied (0 before any). */
  constructor(public lastSequence = 0) {}

  /** Offers one live event. */
  offer(event: E): SequencerResult<E> {
    return this.offerMany([event]);
  }

  /** Offers several events (e.g. a catch-up page); order does not matter. */
  offerMany(events: readonly E[]): SequencerResult<E> {
    const apply: E[] = [];
    for (const e of events) {
      if (e.sequence === null || e.sequence === undefined) apply.push(e);
      else if (e.sequence > this.lastSequence && !this.held.has(e.sequence)) this.held.set(e.sequence, e);
    }
    for (let next = this.held.get(this.lastSequence + 1); next; next = this.held.get(this.lastSequence + 1)) {
      this.held.delete(this.lastSequence + 1);
      this.lastSequence++;
      apply.push(next);
    }
    return { apply, gap: this.held.size > 0 };
  }

  /** Whether events are held behind a gap. */
  get hasGap(): boolean {
    return this.held.size > 0;
  }
}

/** One page of the catch-up endpoint. */
export interface CatchUpPage<E> {
  events: E[];
  /** `page.next_after_sequence`; null or undefined when the log is exhausted. */
  next: number | null | undefined;
}

/**
 * Fetches every event after `after` by following `next_after_sequence` until a page comes back short (fewer than
 * `pageLimit` events), empty or without a next cursor (bounded by `maxPages`).
 */
export async function fetchAllAfter<E>(fetchPage: (after: number) => Promise<CatchUpPage<E>>, after: number, pageLimit = 1000, maxPages = 100): Promise<E[]> {
  const all: E[] = [];
  let cursor = after;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(cursor);
    all.push(...page.events);
    if (page.events.length < pageLimit || page.next === null || page.next === undefined || page.next <= cursor) break;
    cursor = page.next;
  }
  return all;
}
