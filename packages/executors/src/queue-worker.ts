import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Warning } from '@llmctl/contracts';
import type { CompiledGraph } from '@llmctl/engine';
import type { NodeExecutor } from '@llmctl/runtime';
import { toErrorInfo } from '@llmctl/runtime';
import { fromPayload, toResult } from './attempt-payload.ts';
import { startBoss, type ExecutorClass } from './boss.ts';
import { CHANNELS, DispatchStore } from './dispatch-store.ts';
import { queueNameOf } from './ids.ts';
import { ChannelListener as Listener, WorkersRepository, clientConfigOf } from '@llmctl/store';
import { TokenPublisher, tokenChannelOf } from './token-stream.ts';

/** Options of {@link QueueWorker} (`llmctl worker` flags). */
export interface QueueWorkerOptions {
  pool: pg.Pool;
  /** Runs an attempt in this process (the node handlers). */
  executor: NodeExecutor;
  /** The compiled graph of a flowchart version. */
  graphFor(flowchartId: string, version: number): Promise<CompiledGraph>;
  concurrency?: number;
  classes?: ExecutorClass[];
  name?: string;
  /** A worker whose heartbeat is older than this is lost; its attempts are re-dispatched (default 30 s). */
  heartbeatTimeoutS?: number;
  /** How often to look for jobs without a wake-up notification (default 1000 ms). */
  pollMs?: number;
  log?: (msg: string) => void;
}

interface Running {
  abort: AbortController;
  queue: string;
  jobId: string;
  data: object;
  done: Promise<void>;
  handedBack: boolean;
}

/**
 * A queue worker: fetches node attempts from the pg-boss class queues (woken by `llmctl_executor_jobs`, polling as a
 * fallback), confirms each against its dispatch row, runs it through the node handlers and writes the result back
 * for the run's owner to commit. It heartbeats into `executor_workers`; an abort notification stops an attempt.
 */
export class QueueWorker {
  readonly id = `wrk_${randomBytes(6).toString('hex')}`;
  readonly name: string;
  private readonly store: DispatchStore;
  private readonly workers: WorkersRepository;
  private readonly running = new Map<string, Running>();
  private boss: PgBoss | null = null;
  private listener: Listener | null = null;
  private timers: NodeJS.Timeout[] = [];
  private draining = false;
  private pumping = false;
  private again = false;
  private readonly concurrency: number;
  private readonly classes: ExecutorClass[];
  private readonly hbTimeoutS: number;
  private limitCache: { at: number; v: { all: number; perFlowchart: number } } | null = null;

  constructor(private readonly o: QueueWorkerOptions) {
    this.store = new DispatchStore(o.pool);
    this.workers = new WorkersRepository(o.pool);
    this.name = o.name ?? `${hostname()}:${process.pid}`;
    this.concurrency = Math.max(1, o.concurrency ?? 4);
    this.classes = o.classes?.length ? o.classes : ['frontier'];
    this.hbTimeoutS = Math.max(1, o.heartbeatTimeoutS ?? 30);
  }

  /** Attempts in flight. */
  get active(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    this.boss = await startBoss(this.o.pool, { supervise: true });
    await this.workers.register({
      id: this.id, name: this.name, host: hostname(), pid: process.pid, classes: this.classes, concurrency: this.concurrency, heartbeat_timeout_s: this.hbTimeoutS,
    });
    this.listener = new Listener(clientConfigOf(this.o.pool), [CHANNELS.jobs, CHANNELS.abort], (ch, payload) => {
      if (ch === CHANNELS.abort) this.running.get(payload)?.abort.abort(new Error('aborted by the run owner'));
      else void this.pump();
    }, () => void this.pump());
    await this.listener.start();
    const hb = setInterval(() => void this.heartbeat(), Math.max(200, Math.floor((this.hbTimeoutS * 1000) / 3)));
    const poll = setInterval(() => void this.pump(), this.o.pollMs ?? 1000);
    hb.unref();
    poll.unref();
    this.timers.push(hb, poll);
    void this.pump();
  }

  private async heartbeat(): Promise<void> {
    await this.workers.heartbeat(this.id, this.running.size, this.draining ? 'draining' : 'live').catch(() => undefined);
  }

  /** Takes jobs while there is room. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (const cls of this.classes) {
          const free = this.concurrency - this.running.size;
          if (free <= 0 || this.draining || !this.boss) break;
          const queue = queueNameOf(cls);
          const jobs = await this.boss.fetch<{ dispatch_id: string }>(queue, { batchSize: free });
          for (const job of jobs) this.take(queue, job.id, job.data);
          if (jobs.length > 0) this.again = true;
        }
      } while (this.again && !this.draining && this.running.size < this.concurrency);
    } catch (err) {
      this.o.log?.(`queue fetch failed: ${(err as Error).message}`);
    } finally {
      this.pumping = false;
    }
  }

  private take(queue: string, jobId: string, data: { dispatch_id: string }): void {
    const abort = new AbortController();
    const entry: Running = { abort, queue, jobId, data, done: Promise.resolve(), handedBack: false };
    this.running.set(data.dispatch_id, entry);
    entry.done = this.execute(data.dispatch_id, abort).finally(() => {
      if (this.running.get(data.dispatch_id) === entry) this.running.delete(data.dispatch_id);
      if (!entry.handedBack) void this.boss?.complete(queue, jobId).catch(() => undefined);
      void this.pump();
    });
  }

  /** Concurrency limits from the runtime settings (`queue`), re-read at most every 2 s. */
  private async limits(): Promise<{ all: number; perFlowchart: number }> {
    if (this.limitCache && Date.now() - this.limitCache.at < 2000) return this.limitCache.v;
    const v = await this.workers.queueLimits().catch(() => ({ all: 0, perFlowchart: 0 }));
    this.limitCache = { at: Date.now(), v };
    return v;
  }

  private async execute(dispatchId: string, abort: AbortController): Promise<void> {
    const lim = await this.limits();
    const claimed = await this.store.confirmWithin(dispatchId, this.id, lim.all, lim.perFlowchart).catch(() => null);
    if (claimed === 'limited') {
      // over a concurrency limit: the job goes back to the queue under the same id, to be taken again in a second
      const r = this.running.get(dispatchId);
      if (r) {
        r.handedBack = true;
        await this.boss?.deleteJob(r.queue, r.jobId).catch(() => undefined);
        await this.boss?.send(r.queue, r.data, { id: r.jobId, retryLimit: 0, startAfter: 1 }).catch(() => undefined);
      }
      return;
    }
    if (!claimed) return; // aborted or superseded before it started
    void this.heartbeat();
    const p = claimed.payload;
    const warnings: Warning[] = [];
    let outcome: Parameters<DispatchStore['finish']>[2];
    // streamed model text goes to the run's owner over NOTIFY (it emits flowchart:node:token); sent before the result
    const tokens = new TokenPublisher(this.o.pool, tokenChannelOf(p.run.id), dispatchId);
    try {
      const graph = await this.o.graphFor(p.run.flowchart_id, p.run.flowchart_version);
      const x = fromPayload(p, graph, abort.signal, warnings);
      x.emitToken = (delta) => tokens.push(delta);
      const r = await this.o.executor.execute(x);
      outcome = { result: toResult(r, warnings) };
    } catch (err) {
      outcome = { error: toErrorInfo(err) };
    }
    await tokens.flush();
    if (abort.signal.aborted) return; // the owner already recorded why it stopped
    await this.store.finish(dispatchId, this.id, outcome);
  }

  /**
   * SIGTERM: stop taking jobs, let in-flight attempts finish within `drainTimeoutMs`, hand the rest back to the queue
   * (their dispatch returns to `submitted` and their job is re-sent under the same id), then leave.
   */
  async drain(drainTimeoutMs: number): Promise<{ finished: number; handed_back: number }> {
    this.draining = true;
    await this.heartbeat();
    const inflight = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(inflight.map((r) => r.done)),
      new Promise<void>((r) => (timer = setTimeout(r, drainTimeoutMs))),
    ]);
    clearTimeout(timer);
    let handed = 0;
    for (const [dispatchId, r] of [...this.running]) {
      this.running.delete(dispatchId);
      r.handedBack = true;
      r.abort.abort(new Error('worker draining'));
      if (await this.store.handBack(dispatchId, this.id)) {
        handed += 1;
        await this.boss?.deleteJob(r.queue, r.jobId).catch(() => undefined);
        await this.boss?.send(r.queue, r.data, { id: r.jobId, retryLimit: 0 }).catch(() => undefined);
        await this.workers.wakeWorkers(r.queue).catch(() => undefined);
      }
    }
    await this.stop();
    return { finished: inflight.length - handed, handed_back: handed };
  }

  /** Leaves at once (in-flight attempts are abandoned; their owners see the worker lost). */
  async stop(): Promise<void> {
    this.draining = true;
    for (const t of this.timers) clearInterval(t);
    await this.listener?.stop();
    await this.workers.remove(this.id).catch(() => undefined);
    await this.boss?.stop({ graceful: false, close: false, wait: false }).catch(() => undefined);
    this.boss = null;
  }
}
