import type { BatchV1Api, CoreV1Api, Informer, KubeConfig, V1Job, V1Pod } from '@kubernetes/client-node';

/** How a {@link JobWatch} restarts a dropped watch. */
export interface JobWatchOptions {
  /** Pause before a failed or dropped watch is started again (doubling to 30 s; default 500 ms). */
  restartMs?: number;
  log?: (msg: string) => void;
}

/**
 * Wakes the attempts of one namespace when their Job or pod changes: two client-node informers (list + watch) over
 * the Jobs labelled `llmctl.run_id` and the pods labelled `llmctl.job`, shared by every attempt in flight. The
 * backend still reads the Job and pods itself when woken (the state it acts on is always read, never inferred from
 * an event). A watch that fails or drops wakes every attempt (a resync read) and is restarted with a back-off; the
 * backend's periodic resync covers the time in between.
 */
export class JobWatch {
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly informers: Informer<V1Job | V1Pod>[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly api: { batch: BatchV1Api; core: CoreV1Api },
    private readonly namespace: string,
    private readonly o: JobWatchOptions = {},
  ) {}

  /** Starts both informers (resolves once each made its first attempt; failures are retried in the background). */
  async start(): Promise<void> {
    const k8s = await import('@kubernetes/client-node');
    const ns = this.namespace;
    const jobs = k8s.makeInformer<V1Job>(this.kc, `/apis/batch/v1/namespaces/${ns}/jobs`,
      () => this.api.batch.listNamespacedJob({ namespace: ns, labelSelector: 'llmctl.run_id' }), 'llmctl.run_id');
    const pods = k8s.makeInformer<V1Pod>(this.kc, `/api/v1/namespaces/${ns}/pods`,
      () => this.api.core.listNamespacedPod({ namespace: ns, labelSelector: 'llmctl.job' }), 'llmctl.job');
    this.watchInformer(jobs as Informer<V1Job | V1Pod>, (o) => o.metadata?.name);
    this.watchInformer(pods as Informer<V1Job | V1Pod>, (o) => o.metadata?.labels?.['llmctl.job']);
    await Promise.all(this.informers.map((i) => i.start().catch(() => undefined)));
  }

  private watchInformer(inf: Informer<V1Job | V1Pod>, jobOf: (o: V1Job | V1Pod) => string | undefined): void {
    this.informers.push(inf);
    const changed = (o: V1Job | V1Pod): void => {
      const name = jobOf(o);
      if (name) this.wake(name);
    };
    inf.on('add', changed);
    inf.on('update', changed);
    inf.on('delete', changed);
    let backoff = this.o.restartMs ?? 500;
    inf.on('connect', () => undefined);
    inf.on('error', (err: unknown) => {
      if (this.stopped) return;
      this.o.log?.(`Kubernetes watch of ${this.namespace} dropped (${(err as Error)?.message ?? err}); resyncing and restarting in ${backoff} ms`);
      this.wakeAll();
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.stopped) void inf.start().then(() => (backoff = this.o.restartMs ?? 500), () => undefined);
      }, backoff);
      t.unref();
      this.timers.add(t);
      backoff = Math.min(30_000, backoff * 2);
    });
  }

  /** Calls `fn` whenever Job `name` or one of its pods changes, until the returned function is called. */
  onChange(name: string, fn: () => void): () => void {
    let set = this.wakers.get(name);
    if (!set) this.wakers.set(name, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.wakers.get(name) === set) this.wakers.delete(name);
    };
  }

  private wake(name: string): void {
    for (const fn of [...(this.wakers.get(name) ?? [])]) fn();
  }

  private wakeAll(): void {
    for (const set of [...this.wakers.values()]) for (const fn of [...set]) fn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.informers.map((i) => i.stop().catch(() => undefined)));
  }
}

/** Wakes one attempt's follow loop: on a watch change or an abort ({@link Waker.wake}), else after a timeout. */
export class Waker {
  private woken = false;
  private wakeUp: (() => void) | null = null;

  /** Something changed: the loop reads again (now, or as soon as it is about to wait). */
  readonly wake = (): void => {
    this.woken = true;
    this.wakeUp?.();
  };

  /** Forgets earlier wake-ups (called right before each read). */
  clear(): void {
    this.woken = false;
  }

  /** Waits `ms`, or less when woken since the last {@link clear} or while waiting. */
  async sleep(ms: number): Promise<void> {
    if (this.woken) return;
    await new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        r();
      };
    });
    this.wakeUp = null;
  }
}
