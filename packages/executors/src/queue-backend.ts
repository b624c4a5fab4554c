import type PgBoss from 'pg-boss';
import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import type { NodeExecution, NodeResult } from '@llmctl/runtime';
import { toPayload } from './attempt-payload.ts';
import { startBoss } from './boss.ts';
import { WorkersRepository } from '@llmctl/store';
import { DispatchStore, type DispatchRow } from './dispatch-store.ts';
import type { ExecutorBackend } from './dispatching-executor.ts';
import { jobIdOf, queueNameOf } from './ids.ts';
import { ResultWaiter } from './result-waiter.ts';

/** Options of {@link QueueBackend}. */
export interface QueueBackendOptions {
  pool: pg.Pool;
  /** How often the owner re-reads waiting dispatches and checks their workers' heartbeats (default 1000 ms). */
  pollMs?: number;
}

/**
 * The `queue` backend (owner side): relays a committed dispatch to pg-boss as a job whose id is derived from the
 * dispatch id (sending twice inserts one job), wakes workers, and waits for the result the worker writes back.
 */
export class QueueBackend implements ExecutorBackend {
  readonly name = 'queue' as const;
  private boss: Promise<PgBoss> | null = null;
  private readonly store: DispatchStore;
  private readonly waiter: ResultWaiter;

  constructor(private readonly o: QueueBackendOptions) {
    this.store = new DispatchStore(o.pool);
    this.waiter = new ResultWaiter(this.store, o.pollMs ?? (Number(process.env.LLMCTL_EXECUTOR_POLL_MS) || 1000));
  }

  private getBoss(): Promise<PgBoss> {
    this.boss ??= startBoss(this.o.pool).catch((err) => {
      this.boss = null;
      throw err;
    });
    return this.boss;
  }

  async run(row: DispatchRow, x: NodeExecution): Promise<NodeResult> {
    const jobId = jobIdOf(row.id);
    const queue = queueNameOf(row.class);
    if (!(await this.store.submitted(row.id, toPayload(row.id, x), jobId, null))) {
      throw new LlmctlError('dispatch_uncertain', `dispatch ${row.id} moved on before it was submitted`, { dispatch_id: row.id }, true);
    }
    // listening for the attempt's tokens before the job exists, so the first chunk is not missed
    const stopTokens = await this.waiter.streamTokens(row.run_id, row.id, (d) => x.emitToken(d));
    try {
      const boss = await this.getBoss();
      await boss.send(queue, { dispatch_id: row.id, run_id: row.run_id }, { id: jobId, retryLimit: 0 });
      await new WorkersRepository(this.o.pool).wakeWorkers(row.class);
    } catch (err) {
      const e = new LlmctlError('create_failed', `could not enqueue attempt ${row.id}: ${(err as Error).message}`, { dispatch_id: row.id }, true);
      await this.store.fail(row.id, e.toInfo()).catch(() => undefined);
      stopTokens();
      throw e;
    }
    const result = this.waiter.wait(row.id);
    const onAbort = (): void => {
      this.waiter.forget(row.id);
      const reason = x.signal.reason instanceof LlmctlError ? x.signal.reason.toInfo() : { code: 'interrupted', message: 'aborted', details: {}, retryable: true };
      void this.store.fail(row.id, reason).catch(() => undefined);
      void this.getBoss().then((b) => b.cancel(queue, jobId)).catch(() => undefined);
    };
    if (x.signal.aborted) onAbort();
    x.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.race([
        result,
        new Promise<never>((_, reject) => {
          if (x.signal.aborted) reject(x.signal.reason);
          x.signal.addEventListener('abort', () => reject(x.signal.reason), { once: true });
        }),
      ]);
    } finally {
      x.signal.removeEventListener('abort', onAbort);
      stopTokens();
    }
  }

  async stop(): Promise<void> {
    await this.waiter.stop();
    const b = this.boss;
    this.boss = null;
    if (b) await (await b.catch(() => null))?.stop({ graceful: false, close: false, wait: false }).catch(() => undefined);
  }
}
