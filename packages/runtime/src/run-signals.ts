import { EventEmitter } from 'node:events';

/**
 * A wake-up for code waiting on another run: `run` when a commit to that run happened in some process, `reconnected`
 * when notices may have been lost (the host's notification connection came back) and waiters must re-read.
 */
export type RunSignal = { kind: 'run'; run_id: string } | { kind: 'reconnected' };

/**
 * The runtime's port for commits made by other processes. In-process commits arrive on the {@link EventBus}; the
 * host feeds this one from its cross-process channel (the server: `LISTEN llmctl_run_events`). Sub-flowchart parents
 * wait on both instead of polling their child.
 */
export class RunSignals {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  /** A commit to run `runId` happened (in any process). */
  runChanged(runId: string): void {
    this.emitter.emit('signal', { kind: 'run', run_id: runId } satisfies RunSignal);
  }
  /** Notices sent meanwhile may have been lost: every waiter re-reads what it waits for. */
  reconnected(): void {
    this.emitter.emit('signal', { kind: 'reconnected' } satisfies RunSignal);
  }
  /** Subscribes to signals; returns the unsubscribe function. */
  onSignal(fn: (s: RunSignal) => void): () => void {
    this.emitter.on('signal', fn);
    return () => this.emitter.off('signal', fn);
  }
}
