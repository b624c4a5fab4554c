// Types only at the top: the client (about 50 MB resident) is imported on first use, so a server that never uses the
// kubernetes backend does not load it (bench/report.md § serve footprint).
import type { BatchV1Api, CoreV1Api, KubeConfig, V1Job } from '@kubernetes/client-node';
import type pg from 'pg';
import { LlmctlError, type ErrorCode } from '@llmctl/contracts';
import type { ModelCallRecord, NodeExecution, NodeResult } from '@llmctl/runtime';
import { toPayload } from './attempt-payload.ts';
import { DispatchStore, type DispatchRow } from './dispatch-store.ts';
import type { ExecutorBackend } from './dispatching-executor.ts';
import type { ExecutorPayloadFile } from './executor-entrypoint.ts';
import { k8sNameOf } from './ids.ts';
import { classify } from './k8s-pod-state.ts';
import { JobWatch, Waker } from './k8s-watch.ts';
import { PodTokenFollower } from './k8s-token-follower.ts';
import { jobManifest, secretManifest, type JobSpec } from './k8s-manifests.ts';
import { cpuImageOf, imageString, type ExecutorImages, type KubernetesSettings } from './k8s-settings.ts';
import { parseExecutorOutput } from './result-line.ts';

/** Options of {@link KubernetesBackend}. */
export interface KubernetesBackendOptions {
  pool: pg.Pool;
  /** In-cluster service account or a kubeconfig (`KubeConfig.loadFromDefault()` when omitted). */
  kubeConfig?: KubeConfig;
  /** The current `kubernetes` settings block and images. */
  settings(): Promise<{ kubernetes: KubernetesSettings; images: ExecutorImages }>;
  /** The payload file of an attempt: node, resolved inputs, and only the models (with credentials) it uses. */
  payloadFor(row: DispatchRow, x: NodeExecution): Promise<ExecutorPayloadFile>;
  /** Records the model calls an executor reports (traces, usage). */
  recordCall?(call: ModelCallRecord): Promise<void>;
  /**
   * Job and pod changes arrive through a watch (client-node informers); this is the resync fallback: the state is
   * also read when this long passes without a change (default 30 s).
   */
  resyncMs?: number;
  /** Pause before a dropped watch is restarted (doubling; default 500 ms). */
  watchRestartMs?: number;
  log?: (msg: string) => void;
  /** Test overrides of the settings' timeouts, and the API request timeout (default 30 s). */
  timeoutsMs?: { dispatch?: number; gpuSchedule?: number; request?: number; deleteGrace?: number };
}

const FALLBACK = 'gpu_unavailable_cpu_fallback';

function fail(code: ErrorCode, message: string, details: Record<string, unknown> = {}): LlmctlError {
  return new LlmctlError(code, message, details);
}

function httpCode(err: unknown): number | null {
  const c = (err as { code?: unknown })?.code;
  return typeof c === 'number' ? c : null;
}

/**
 * The `kubernetes` backend: one Job per attempt with its payload in a Secret, watched until its pod finishes;
 * the result is the one `LLMCTL_EXECUTOR_RESULT_JSON=` line of the pod log, validated. Job names are deterministic,
 * so an uncertain create is resolved by reading the name back, and fails closed (`dispatch_uncertain`) when it cannot.
 */
export class KubernetesBackend implements ExecutorBackend {
  readonly name = 'kubernetes' as const;
  private readonly store: DispatchStore;
  private clients: { batch: BatchV1Api; core: CoreV1Api; kc: KubeConfig } | null = null;
  private readonly watches = new Map<string, Promise<JobWatch>>();

  constructor(private readonly o: KubernetesBackendOptions) {
    this.store = new DispatchStore(o.pool);
  }

  /** API clients, from the given kubeconfig or (on first use) the default one: KUBECONFIG, ~/.kube/config, in-cluster. */
  private async api(): Promise<{ batch: BatchV1Api; core: CoreV1Api; kc: KubeConfig }> {
    if (!this.clients) {
      const k8s = await import('@kubernetes/client-node');
      const kc = this.o.kubeConfig ?? new k8s.KubeConfig();
      if (!this.o.kubeConfig) kc.loadFromDefault();
      this.clients = { batch: kc.makeApiClient(k8s.BatchV1Api), core: kc.makeApiClient(k8s.CoreV1Api), kc };
    }
    return this.clients;
  }

  private timed<T>(p: Promise<T>): Promise<T> {
    const ms = this.o.timeoutsMs?.request ?? 30_000;
    let t: NodeJS.Timeout | undefined;
    return Promise.race([p, new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error(`Kubernetes API request timed out after ${ms} ms`)), ms)))])
      .finally(() => clearTimeout(t));
  }

  async run(row: DispatchRow, x: NodeExecution): Promise<NodeResult> {
    try {
      await this.api();
    } catch (err) {
      const e = fail('create_failed', `no Kubernetes configuration (in-cluster service account or kubeconfig): ${(err as Error).message}`);
      await this.store.fail(row.id, e.toInfo());
      throw e;
    }
    const { kubernetes: s, images } = await this.o.settings();
    const payload = JSON.stringify(await this.o.payloadFor(row, x));
    const cls = row.class === 'vllm' ? 'vllm' : 'frontier';
    let spec: JobSpec = { name: k8sNameOf(row.id), image: imageString(images[cls]), cls, gpu: cls === 'vllm' && s.gpu_limit > 0 };
    let degraded = false;
    try {
      for (;;) {
        await this.create(row, spec, s, payload, x.signal);
        if (!degraded) {
          if (!(await this.store.submitted(row.id, toPayload(row.id, x), spec.name, spec.image))) throw fail('dispatch_uncertain', `dispatch ${row.id} moved on`, { dispatch_id: row.id });
        }
        const outcome = await this.follow(row, spec, s, x.signal, (d) => x.emitToken(d));
        if (outcome === 'unschedulable') {
          await this.deleteJob(spec.name, s.namespace, 0);
          if (!row.gpu_fallback) throw fail('gpu_unavailable', `no GPU could be scheduled within ${s.gpu_schedule_timeout_s} s and GPU fallback is off`, { job: spec.name });
          spec = { name: k8sNameOf(row.id, 'cpu'), image: cpuImageOf(images), cls, gpu: false };
          degraded = true;
          await this.store.annotate(row.id, {
            image: spec.image, job_id: spec.name, degraded_reason: FALLBACK,
            warning: { code: FALLBACK, message: `no GPU within ${s.gpu_schedule_timeout_s} s: re-dispatched on the CPU image ${spec.image}` },
          });
          continue;
        }
        const r = outcome.result!;
        const warnings = [...(r.warnings ?? []), ...(degraded ? [{ code: FALLBACK, message: `ran on the CPU profile (${spec.image}): no GPU could be scheduled` }] : [])];
        return { ...r, warnings, ...(degraded ? { fallback_used: true, degraded_reason: FALLBACK } : {}) } as NodeResult;
      }
    } catch (err) {
      if (x.signal.aborted) {
        await this.abort(row, spec, s);
        throw x.signal.reason;
      }
      const e = err instanceof LlmctlError ? err : fail('create_failed', (err as Error).message);
      await this.store.fail(row.id, e.toInfo());
      throw e;
    }
  }

  /** Creates the Job (then its Secret); an uncertain create is looked up by name, never created twice. */
  private async create(row: DispatchRow, spec: JobSpec, s: KubernetesSettings, payload: string, signal: AbortSignal): Promise<void> {
    const body = jobManifest(row, spec, s);
    let job: V1Job | null = null;
    for (let tries = 0; !job; tries++) {
      if (signal.aborted) throw signal.reason;
      try {
        job = await this.timed((await this.api()).batch.createNamespacedJob({ namespace: s.namespace, body }));
      } catch (err) {
        const code = httpCode(err);
        if (code !== null && code !== 409 && code < 500 && code !== 429) throw fail('create_failed', `the Job could not be created (HTTP ${code})`, { job: spec.name, status: code });
        job = await this.lookup(spec.name, s.namespace, row.id);
        if (!job && tries >= 1) throw fail('dispatch_uncertain', `creating Job ${spec.name} failed twice without a trace`, { job: spec.name });
      }
    }
    try {
      await this.timed((await this.api()).core.createNamespacedSecret({ namespace: s.namespace, body: secretManifest(row, spec, s, job, payload) }));
    } catch (err) {
      if (httpCode(err) !== 409) {
        await this.deleteJob(spec.name, s.namespace, 0);
        throw fail('create_failed', `the payload Secret could not be created: ${(err as Error).message}`, { job: spec.name });
      }
    }
  }

  /** The Job named `name` (null when it does not exist); fails closed when it cannot be read. */
  private async lookup(name: string, namespace: string, dispatchId: string): Promise<V1Job | null> {
    try {
      const job = await this.timed((await this.api()).batch.readNamespacedJob({ name, namespace }));
      if (job.metadata?.annotations?.['llmctl.dispatch_id'] !== dispatchId) throw fail('dispatch_uncertain', `Job ${name} belongs to another dispatch`, { job: name });
      return job;
    } catch (err) {
      if (err instanceof LlmctlError) throw err;
      if (httpCode(err) === 404) return null;
      await this.deleteJob(name, namespace, 0);
      throw fail('dispatch_uncertain', `whether Job ${name} exists is unknown (${(err as Error).message}); failing closed`, { job: name });
    }
  }

  /** The shared watch of a namespace (started on first use; null when it cannot start: resync reads only). */
  private async watchOf(namespace: string): Promise<JobWatch | null> {
    let w = this.watches.get(namespace);
    if (!w) {
      w = this.api().then(async (api) => {
        const watch = new JobWatch(api.kc, api, namespace, { ...(this.o.watchRestartMs ? { restartMs: this.o.watchRestartMs } : {}), ...(this.o.log ? { log: this.o.log } : {}) });
        await watch.start();
        return watch;
      });
      this.watches.set(namespace, w);
      w.catch(() => this.watches.delete(namespace));
    }
    return w.catch(() => null);
  }

  /**
   * Follows the Job until it yields a result, fails, or (GPU profile) stays unschedulable past its timeout. It reads
   * the Job and its pods when the watch reports a change, at a deadline, or after `resyncMs` without news.
   */
  private async follow(row: DispatchRow, spec: JobSpec, s: KubernetesSettings, signal: AbortSignal, emit: (delta: string) => void): Promise<'unschedulable' | { result: NodeResult }> {
    const watch = await this.watchOf(s.namespace);
    // streamed model text: the pod log is followed once the pod runs (token lines), and read whole at the end
    const tokens = new PodTokenFollower(emit);
    let following = false;
    const waker = new Waker();
    const off = watch?.onChange(spec.name, waker.wake) ?? (() => undefined);
    signal.addEventListener('abort', waker.wake);
    try {
      return await this.followWoken(row, spec, s, signal, waker, (pod) => {
        if (following) return;
        following = true;
        void this.api().then((a) => tokens.start(a.kc, s.namespace, pod)).catch(() => undefined);
      }, (log) => tokens.finish(log));
    } finally {
      off();
      signal.removeEventListener('abort', waker.wake);
      tokens.stop();
    }
  }

  private async followWoken(
    row: DispatchRow, spec: JobSpec, s: KubernetesSettings, signal: AbortSignal, waker: Waker, running: (pod: string) => void, onLog: (log: string) => void,
  ): Promise<'unschedulable' | { result: NodeResult }> {
    const started = Date.now();
    const dispatchMs = this.o.timeoutsMs?.dispatch ?? s.dispatch_timeout_s * 1000;
    const gpuMs = this.o.timeoutsMs?.gpuSchedule ?? s.gpu_schedule_timeout_s * 1000;
    const resyncMs = this.o.resyncMs ?? 30_000;
    let confirmed = false;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      waker.clear();
      const [job, pods] = await Promise.all([
        this.timed((await this.api()).batch.readNamespacedJob({ name: spec.name, namespace: s.namespace })).catch((e) => (httpCode(e) === 404 ? null : Promise.reject(e))),
        this.timed((await this.api()).core.listNamespacedPod({ namespace: s.namespace, labelSelector: `llmctl.job=${spec.name}` })).then((l) => l.items),
      ]);
      if (!job) throw fail('worker_lost', `Job ${spec.name} disappeared`, { job: spec.name });
      const st = classify(job, pods);
      if ((st.kind === 'running' || st.kind === 'done') && !confirmed) {
        confirmed = true;
        await this.store.confirm(row.id, st.pod);
      }
      if (st.kind === 'running') running(st.pod);
      if (st.kind === 'done') return { result: await this.result(row, spec, s, st.pod, onLog) };
      if (st.kind === 'failed') {
        await this.deleteJob(spec.name, s.namespace, 0);
        throw fail(st.code, `Job ${spec.name}: ${st.message}`, { job: spec.name, pod: st.pod });
      }
      if (!confirmed && spec.gpu && st.kind === 'unschedulable' && Date.now() - started >= gpuMs) return 'unschedulable';
      if (!confirmed && Date.now() - started >= dispatchMs) {
        await this.deleteJob(spec.name, s.namespace, 0);
        throw fail('dispatch_timeout', `the pod of Job ${spec.name} did not start within ${Math.round(dispatchMs / 1000)} s`, { job: spec.name });
      }
      // until the next change, deadline or resync
      const elapsed = Date.now() - started;
      const next = Math.min(resyncMs, confirmed ? Infinity : dispatchMs - elapsed, !confirmed && spec.gpu ? gpuMs - elapsed : Infinity);
      await waker.sleep(Math.max(0, next) + 1);
    }
  }

  /** Stops the namespace watches. */
  async stop(): Promise<void> {
    const all = [...this.watches.values()];
    this.watches.clear();
    for (const w of all) await (await w.catch(() => null))?.stop();
  }

  /** Reads and validates the result line from the pod log. */
  private async result(row: DispatchRow, spec: JobSpec, s: KubernetesSettings, pod: string, onLog: (log: string) => void): Promise<NodeResult> {
    const log = await this.timed((await this.api()).core.readNamespacedPodLog({ name: pod, namespace: s.namespace, container: 'executor' }));
    onLog(String(log));
    const parsed = parseExecutorOutput(String(log));
    if (!parsed.ok) {
      const e = fail('result_invalid', `Job ${spec.name}: ${parsed.reason}`, { job: spec.name, pod });
      await this.store.finish(row.id, pod, { error: e.toInfo() });
      throw e;
    }
    const line = parsed.line;
    for (const c of line.model_calls ?? []) await this.o.recordCall?.(c as unknown as ModelCallRecord).catch(() => undefined);
    if (line.dispatch_id !== row.id) throw fail('result_invalid', `Job ${spec.name} answered for dispatch ${line.dispatch_id}`, { job: spec.name });
    if (!line.ok || !line.result) {
      const e = line.error!;
      await this.store.finish(row.id, pod, { error: e });
      throw new LlmctlError(e.code as ErrorCode, e.message, e.details, e.retryable);
    }
    await this.store.finish(row.id, pod, { result: { ...line.result, warnings: line.result.warnings ?? [] } as never });
    return line.result as NodeResult;
  }

  /** Cancel, pause, timeout, rewind: delete the Job with a grace period, then force-delete its pods. */
  private async abort(row: DispatchRow, spec: JobSpec, s: KubernetesSettings): Promise<void> {
    await this.store.fail(row.id, { code: 'interrupted', message: 'the attempt was stopped by its run', details: { job: spec.name }, retryable: true }).catch(() => undefined);
    const grace = this.o.timeoutsMs?.deleteGrace ?? 10_000;
    await this.deleteJob(spec.name, s.namespace, Math.ceil(grace / 1000));
    const t = setTimeout(() => {
      void this.api().then((a) => this.timed(a.core.deleteCollectionNamespacedPod({ namespace: s.namespace, labelSelector: `llmctl.job=${spec.name}`, gracePeriodSeconds: 0 }))).catch(() => undefined);
    }, grace);
    t.unref();
  }

  private async deleteJob(name: string, namespace: string, graceS: number): Promise<void> {
    await this.timed((await this.api()).batch.deleteNamespacedJob({ name, namespace, gracePeriodSeconds: graceS, propagationPolicy: 'Background' })).catch(() => undefined);
  }
}
