import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import type { NodeResult } from '@llmctl/runtime';
import { toNodeResult } from './attempt-payload.ts';
import { CHANNELS, type DispatchRow, type DispatchStore } from './dispatch-store.ts';
import { ChannelListener as Listener, clientConfigOf } from '@llmctl/store';
import { TOKEN_CHANNEL_PREFIX, TokenRouter } from './token-stream.ts';

interface Waiting {
  resolve: (r: NodeResult) => void;
  reject: (e: unknown) => void;
}

/** The error a failed dispatch row stands for. */
export function errorOfRow(row: DispatchRow): LlmctlError {
  const e = row.error ?? { code: 'internal', message: `dispatch ${row.id} failed`, details: {}, retryable: false };
  return new LlmctlError(e.code as never, e.message, e.details ?? {}, e.retryable === true);
}

/**
 * The owner's side of queued attempts: waits for the row of each dispatch to become final, woken by the
 * `llmctl_executor_results` notification a worker sends with its result and by a poll (which also fails attempts
 * whose worker stopped heartbeating, `worker_lost`).
 */
export class ResultWaiter {
  private readonly waiting = new Map<string, Waiting>();
  private listener: Listener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  /** Token chunks of in-flight attempts, on the same connection as the results (so they arrive before them). */
  private readonly tokens = new TokenRouter((ch) => this.ensureStarted().listen(ch), (ch) => this.listener?.unlisten(ch) ?? Promise.resolve());

  constructor(private readonly store: DispatchStore, private readonly pollMs: number) {}

  private ensureStarted(): Listener {
    if (this.listener) return this.listener;
    this.listener = new Listener(clientConfigOf(this.store.pool as pg.Pool), [CHANNELS.results],
      (ch, payload) => (ch.startsWith(TOKEN_CHANNEL_PREFIX) ? this.tokens.deliver(payload) : void this.check([payload])),
      () => void this.check([...this.waiting.keys()]));
    void this.listener.start();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    return this.listener;
  }

  /** Relays the streamed tokens of dispatch `dispatchId` of run `runId` to `emit`; call the result to stop. */
  streamTokens(runId: string, dispatchId: string, emit: (delta: string) => void): Promise<() => void> {
    return this.tokens.subscribe(runId, dispatchId, emit);
  }

  /** Resolves with the attempt's result once its dispatch finished; rejects with its error when it failed. */
  wait(id: string): Promise<NodeResult> {
    this.ensureStarted();
    return new Promise<NodeResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      void this.check([id]);
    });
  }

  /** Stops waiting for `id` (aborted by the owner). */
  forget(id: string): void {
    this.waiting.delete(id);
  }

  private async poll(): Promise<void> {
    if (this.checking || this.waiting.size === 0) return;
    this.checking = true;
    try {
      const ids = [...this.waiting.keys()];
      const rows = await this.store.get(ids);
      const confirmed = rows.filter((r) => r.state === 'confirmed').map((r) => r.id);
      await this.store.failLost(confirmed);
      await this.check(ids);
    } catch {
      // the next tick retries
    } finally {
      this.checking = false;
    }
  }

  private async check(ids: string[]): Promise<void> {
    const wanted = ids.filter((id) => this.waiting.has(id));
    if (wanted.length === 0) return;
    let rows: DispatchRow[];
    try {
      rows = await this.store.get(wanted);
    } catch {
      return;
    }
    for (const row of rows) {
      const w = this.waiting.get(row.id);
      if (!w) continue;
      if (row.state === 'finished' && row.result) {
        this.waiting.delete(row.id);
        w.resolve({ ...toNodeResult(row.result), warnings: [...row.warnings, ...(row.result.warnings ?? [])] });
      } else if (row.state === 'failed') {
        this.waiting.delete(row.id);
        w.reject(errorOfRow(row));
      }
    }
  }

  /** Stops listening (pending waits stay unresolved: the process is stopping). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.listener?.stop();
    this.listener = null;
  }
}
