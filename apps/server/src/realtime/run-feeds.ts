/**
 * Per-run ordered publication of committed log events, for the runs this process has subscribers for.
 *
 * A feed publishes each sequence number of its run exactly once, in order, with no gap: an offered event is published
 * when it is the next one (`last + 1`), dropped when already published, and a gap (an event further ahead, or a
 * notification of a commit this process did not see) is filled by reading the log after `last`. Events of runs this
 * process executes arrive from the in-process bus (no database read); events committed by other processes arrive
 * through `LISTEN llmctl_run_events` notifications, which trigger a read of the log.
 */
import type { LogEvent } from './envelope.ts';

/** One run's feed. */
export interface RunFeed {
  readonly runId: string;
  readonly flowchartId: string;
  /** The last sequence published. */
  last: number;
  /** True once the in-process bus offered an event of this run (it runs here: notifications wait a moment for it). */
  local: boolean;
  filling: boolean;
  again: boolean;
}

/** What the feeds need. */
export interface RunFeedsDeps {
  /** Log rows of a run with `sequence > after`, in order, at most `limit`. */
  readEvents(runId: string, after: number, limit: number): Promise<Omit<LogEvent, 'flowchart_id'>[]>;
  /** Publishes one event (called in sequence order per run, each sequence once). */
  deliver(e: LogEvent): void;
  logError(msg: string, err: unknown): void;
  /**
   * How long a notification about a run that executes in this process waits for the bus to deliver the same commit
   * before the log is read (default 25 ms). Notifications about other processes' runs are read at once.
   */
  localGraceMs?: number;
}

const PAGE = 500;

/** The set of live feeds of one process. */
export class RunFeeds {
  private readonly feeds = new Map<string, RunFeed>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: RunFeedsDeps) {}

  get(runId: string): RunFeed | undefined {
    return this.feeds.get(runId);
  }

  /** Every feed (for a refill after the notification connection was lost). */
  all(): RunFeed[] {
    return [...this.feeds.values()];
  }

  /** The feed of `runId`, created with `last` as its starting point when absent; `created` tells which. */
  ensure(runId: string, flowchartId: string, last: number): { feed: RunFeed; created: boolean } {
    const existing = this.feeds.get(runId);
    if (existing) return { feed: existing, created: false };
    const feed: RunFeed = { runId, flowchartId, last, local: false, filling: false, again: false };
    this.feeds.set(runId, feed);
    return { feed, created: true };
  }

  /** Stops publishing `runId` (no subscriber is interested any more). */
  drop(runId: string): void {
    this.feeds.delete(runId);
  }

  /** Offers a committed event (bus or log read): published when next, dropped when seen, a gap is read from the log. */
  offer(feed: RunFeed, e: Omit<LogEvent, 'flowchart_id'>): void {
    const seq = Number(e.sequence);
    if (seq <= feed.last || this.feeds.get(feed.runId) !== feed) return;
    if (seq === feed.last + 1) {
      feed.last = seq;
      try {
        this.deps.deliver({ ...e, sequence: seq, flowchart_id: feed.flowchartId });
      } catch (err) {
        this.deps.logError('realtime delivery failed', err);
      }
      return;
    }
    this.fill(feed);
  }

  /** A commit of `runId` up to `lastSequence` happened somewhere: publish what this feed has not published yet. */
  notified(runId: string, lastSequence: number): void {
    const feed = this.feeds.get(runId);
    if (!feed || lastSequence <= feed.last) return;
    if (!feed.local) {
      this.fill(feed);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (lastSequence > feed.last) this.fill(feed);
    }, this.deps.localGraceMs ?? 25);
    this.timers.add(timer);
  }

  /** Reads the log after `feed.last` and publishes it (one read loop per feed at a time). */
  fill(feed: RunFeed): void {
    if (this.closed) return;
    if (feed.filling) {
      feed.again = true;
      return;
    }
    feed.filling = true;
    void (async () => {
      try {
        do {
          feed.again = false;
          for (;;) {
            const rows = await this.deps.readEvents(feed.runId, feed.last, PAGE);
            if (this.feeds.get(feed.runId) !== feed) return;
            for (const row of rows) {
              if (Number(row.sequence) === feed.last + 1) this.offer(feed, row);
            }
            if (rows.length < PAGE) break;
          }
        } while (feed.again);
      } catch (err) {
        if (this.closed) return;
        this.deps.logError(`realtime: reading the event log of ${feed.runId} failed; retrying`, err);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.fill(feed);
        }, 500);
        this.timers.add(timer);
      } finally {
        feed.filling = false;
      }
    })();
  }

  /** Stops every timer and read loop. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.feeds.clear();
  }
}
