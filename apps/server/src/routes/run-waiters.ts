/**
 * Long-polls (`GET /api/runs/:id?wait_s`) waiting on runs, by run id: ONE bus listener and one set of commit-signal
 * listeners for all of them, so a committed event costs a map lookup instead of a call per waiting request (with 200
 * runs long-polled at once, every event used to visit 200 listeners, and every finished wait to search them).
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

/** See the file comment. */
export class RunWaiters {
  private readonly byRun = new Map<string, Set<RunWaiter>>();
  private signals: EventEmitter | null = null;
  private readonly offBus: () => void;

  constructor(bus: { onEvent(fn: (e: PublishedEvent) => void): () => void }) {
    this.offBus = bus.onEvent((e) => {
      const set = this.byRun.get(e.run_id);
      if (set) for (const w of [...set]) w.onBus(e);
    });
  }

  /** Listens to the realtime layer's commit signals (once; later calls are ignored). */
  attachSignals(signals: EventEmitter): void {
    if (this.signals) return;
    this.signals = signals;
    signals.on('run', this.onRun);
    signals.on('reconnect', this.onReconnect);
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
    this.signals = null;
  }

  private readonly onRun = (runId: string, lastSequence?: number): void => {
    const set = this.byRun.get(runId);
    if (set) for (const w of [...set]) w.onSignal(lastSequence);
  };

  private readonly onReconnect = (): void => {
    for (const set of [...this.byRun.values()]) for (const w of [...set]) w.onReconnect();
  };
}
