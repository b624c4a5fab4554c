/**
 * Long-polls (`GET /api/runs/:id?wait_s`) waiting on runs, by run id: ONE bus listener and one set of commit-signal
 * listeners for all of them, so a committed event costs a map lookup instead of a call per waiting request (with 200
 * runs long-polled at once, every event used to visit 200 listeners, and every finished wait to search them).
 *
 * It also keeps the runs this process is executing right now as its bus shows them (started here, last status neither
 * paused nor finished), so a long-poll on such a run waits without reading it first: its end comes on the bus, or —
 * if another process took the run over — as a commit signal, which drops the run from that book first. The book is
 * used only while the signal connection is up (emptied when it is lost and after a reconnect: signals may have been
 * missed meanwhile).
 */
import type { EventEmitter } from 'node:events';
import type { PublishedEvent } from '@llmctl/runtime';

/** One waiting request. */
export interface RunWaiter {
  /** A committed event of the run from this process's bus. */
  onBus(e: PublishedEvent): void;
  /** A commit signal of the run from any process (the log's last sequence after that commit, when known). */
  onSignal(lastSequence?: number): void;
  /** The signal connection came back: signals may have been missed. */
  onReconnect(): void;
}

/** Statuses a long-poll answers on (a run in one of them is not live). */
export const WAIT_DONE: ReadonlySet<string> = new Set(['succeeded', 'failed', 'canceled', 'paused']);

/** Most runs the live book holds (the oldest entry is dropped beyond it: that run is then read, as without the book). */
const LIVE_BOOK_MAX = 100_000;

/** See the file comment. */
export class RunWaiters {
  private readonly byRun = new Map<string, Set<RunWaiter>>();
  private signals: EventEmitter | null = null;
  private readonly offBus: () => void;
  /** Runs live in this process (bus), with the last sequence the bus published. */
  private readonly live = new Map<string, number>();
  /** False while the signal connection is down (signals of other processes' commits would be missed). */
  private signalsUp = true;
  /** Signals of commits of runs live here that the bus has not published yet (held up to `graceMs`). */
  private readonly early = new Map<string, { last: number; timer: NodeJS.Timeout }>();

  /**
   * `graceMs`: how long a commit signal of a run live here waits for the bus to publish that commit (this process's
   * own commits are often heard back on the LISTEN connection first) before it counts as another process's commit.
   */
  constructor(bus: { onEvent(fn: (e: PublishedEvent) => void): () => void }, private readonly graceMs = 25) {
    this.offBus = bus.onEvent((e) => {
      this.book(e);
      const set = this.byRun.get(e.run_id);
      if (set) for (const w of [...set]) w.onBus(e);
    });
  }

  private book(e: PublishedEvent): void {
    const p = (e.payload ?? {}) as { kind?: string; status?: string };
    if (p.kind === 'run.started' || (p.kind === 'run.status' && p.status !== undefined && !WAIT_DONE.has(p.status))) {
      if (!this.signals || !this.signalsUp) return;
      if (!this.live.has(e.run_id) && this.live.size >= LIVE_BOOK_MAX) this.live.delete(this.live.keys().next().value!);
      this.live.set(e.run_id, e.sequence);
    } else if (p.kind === 'run.status') {
      this.live.delete(e.run_id);
    } else if (this.live.has(e.run_id)) {
      this.live.set(e.run_id, e.sequence);
    }
    const held = this.early.get(e.run_id);
    if (held && e.sequence >= held.last) {
      clearTimeout(held.timer);
      this.early.delete(e.run_id);
    }
  }

  /**
   * The last sequence this process's bus published for `runId` when the run is live here (see the file comment): a
   * waiter registered before asking hears its end without a read. Undefined otherwise (read the run).
   */
  liveHere(runId: string): number | undefined {
    return this.signals && this.signalsUp ? this.live.get(runId) : undefined;
  }

  /**
   * Listens to the realtime layer's commit signals (once; later calls are ignored): `run` (run id, last sequence),
   * `lost` (the connection went down) and `reconnect`. `up`: whether that connection is up now.
   */
  attachSignals(signals: EventEmitter, up = true): void {
    if (this.signals) return;
    this.signals = signals;
    this.signalsUp = up;
    signals.on('run', this.onRun);
    signals.on('reconnect', this.onReconnect);
    signals.on('lost', this.onLost);
  }

  /** True once {@link attachSignals} was called. */
  get hasSignals(): boolean {
    return this.signals !== null;
  }

  /** Adds a waiter of `runId`; returns its removal. */
  add(runId: string, w: RunWaiter): () => void {
    let set = this.byRun.get(runId);
    if (!set) this.byRun.set(runId, (set = new Set()));
    set.add(w);
    return () => {
      set.delete(w);
      if (set.size === 0 && this.byRun.get(runId) === set) this.byRun.delete(runId);
    };
  }

  /** Runs with at least one waiter (tests). */
  get size(): number {
    return this.byRun.size;
  }

  /** Stops listening (app close). */
  close(): void {
    this.offBus();
    this.signals?.off('run', this.onRun);
    this.signals?.off('reconnect', this.onReconnect);
    this.signals?.off('lost', this.onLost);
    this.signals = null;
    this.live.clear();
    for (const held of this.early.values()) clearTimeout(held.timer);
    this.early.clear();
  }

  private readonly onRun = (runId: string, lastSequence?: number): void => {
    const seen = this.live.get(runId);
    if (seen !== undefined && lastSequence !== undefined && lastSequence > seen) {
      // A commit the bus has not published: most often this process's own, heard back first. Held for the bus a moment;
      // unpublished after that, it was another process's (the run was taken over): not live here, waiters check.
      const held = this.early.get(runId);
      if (held) held.last = Math.max(held.last, lastSequence);
      else {
        const timer = setTimeout(() => this.release(runId), this.graceMs);
        timer.unref();
        this.early.set(runId, { last: lastSequence, timer });
      }
      return;
    }
    if (seen !== undefined && lastSequence === undefined) this.live.delete(runId);
    this.signal(runId, lastSequence);
  };

  /** A held signal the bus did not catch up with: the run is no longer known live here; its waiters check. */
  private release(runId: string): void {
    const held = this.early.get(runId);
    if (!held) return;
    clearTimeout(held.timer);
    this.early.delete(runId);
    this.live.delete(runId);
    this.signal(runId, held.last);
  }

  private signal(runId: string, lastSequence: number | undefined): void {
    const set = this.byRun.get(runId);
    if (set) for (const w of [...set]) w.onSignal(lastSequence);
  }

  private readonly onLost = (): void => {
    this.signalsUp = false;
    for (const runId of [...this.early.keys()]) this.release(runId);
    this.live.clear();
  };

  private readonly onReconnect = (): void => {
    this.signalsUp = true;
    for (const runId of [...this.early.keys()]) this.release(runId);
    this.live.clear();
    for (const set of [...this.byRun.values()]) for (const w of [...set]) w.onReconnect();
  };
}
