import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REPLY_PREFIX, type RestateCommand, type RestateConcurrencyFigures, type RestateReady } from './restate/protocol.ts';
import { restateServerBinary } from './restate/server.ts';
import { REPO_ROOT } from './spawn-worker.ts';
import type { ConcurrencyResult } from './sections/concurrency.ts';
import type { Shape } from './workloads.ts';

const CHILD = fileURLToPath(new URL('./restate/child.ts', import.meta.url));

/** The `unshare` command (`LLMCTL_BENCH_UNSHARE` replaces it: tests point it at a missing one to see the skip path). */
function unshareCommand(): string {
  return process.env.LLMCTL_BENCH_UNSHARE || 'unshare';
}

/** Distributes the remaining-keys of a union over each member (for the command payloads). */
type Payload<T> = T extends { id: number } ? Omit<T, 'id'> : never;

/**
 * Why the Restate peer cannot run here (null when it can). restate-server tries an outbound version check at start,
 * so it only ever runs inside a network namespace with nothing but loopback; without `unshare --net` (root or user
 * namespaces) the Restate rows are reported as skipped — never run with network.
 */
export function restateUnavailable(): string | null {
  if (process.platform !== 'linux') return `needs Linux network namespaces (platform ${process.platform})`;
  try {
    restateServerBinary();
  } catch {
    return '@restatedev/restate-server has no binary installed for this platform';
  }
  const r = spawnSync(unshareCommand(), ['--net', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return `cannot run \`unshare --net\`: ${r.error.message}`;
  if (r.status !== 0) return `\`unshare --net\` + \`ip link set lo up\` not permitted: ${(r.stderr || `exit ${r.status}`).trim().split('\n')[0]}`;
  return null;
}

/**
 * A Restate peer: restate-server, the SDK service endpoint and the ingress client run in a child process inside a
 * loopback-only network namespace (restate/child.ts); this driver sends it commands and gets figures back, so the
 * Restate repetitions interleave with the other engines' like any in-process peer. A run's time is measured in the
 * child: ingress request sent → the handler's durable result received.
 */
export class RestateDriver {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';
  private exited = false;
  /** What the child reported once restate-server was up and the deployment answered. */
  ready: RestateReady = { version: 'unknown', serverPid: 0, dataDir: '', startMs: Number.NaN };

  private constructor(private readonly child: ChildProcessWithoutNullStreams, log: (msg: string) => void) {
    child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-20_000)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(REPLY_PREFIX)) {
        if (line.trim()) log(`  [restate] ${line}`);
        return;
      }
      const r = JSON.parse(line.slice(REPLY_PREFIX.length)) as { id: number; ok: boolean; value?: unknown; error?: string };
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new Error(r.error ?? 'Restate child error'));
    });
    const fail = (why: string): void => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`Restate child ${why}: ${this.stderr.trim().split('\n').slice(-12).join('\n')}`));
      this.pending.clear();
    };
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    child.on('error', (err) => fail(`failed (${err.message})`));
  }

  /** Starts the child (restate-server, endpoint, deployment registered); rejects with the child's error output. */
  static async open(log: (msg: string) => void = () => undefined): Promise<RestateDriver> {
    const child = spawn(unshareCommand(), ['--net', 'sh', '-c', 'ip link set lo up && exec "$0" --import tsx "$1"', process.execPath, CHILD], {
      cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, RESTATE_DISABLE_TELEMETRY: 'true' },
    });
    const d = new RestateDriver(child, log);
    d.ready = await new Promise<RestateReady>((resolve, reject) => d.pending.set(0, { resolve: resolve as (v: unknown) => void, reject }));
    return d;
  }

  private call<T>(cmd: Payload<RestateCommand>): Promise<T> {
    if (this.exited) return Promise.reject(new Error('Restate child is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ ...cmd, id })}\n`);
    });
  }

  /** Runner of a shape: one invocation through the ingress, resolves with its wall time in ms (measured in the child). */
  compile(shape: Shape): (input?: unknown) => Promise<number> {
    return () => this.call<number>({ op: 'run', shape });
  }

  /** `runs` concurrent 3-step invocations per batch, `batches` times (measured in the child). */
  concurrency(runs: number, batches: number): Promise<RestateConcurrencyFigures> {
    return this.call<RestateConcurrencyFigures>({ op: 'concurrency', runs, batches });
  }

  /** Stops restate-server (the child removes its data dir) and the child. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.call({ op: 'close' }).catch(() => undefined);
    this.child.stdin.end();
    const term = setTimeout(() => this.child.kill('SIGTERM'), 20_000);
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 40_000);
    await exited;
    clearTimeout(term);
    clearTimeout(kill);
  }
}

/** The concurrency workload on Restate, in the shape of the other engines' results (concurrency.ts). */
export async function restateConcurrencyTask(runs: number, batches: number, isolated: boolean): Promise<ConcurrencyResult> {
  const why = restateUnavailable();
  const nan = { min: Number.NaN, median: Number.NaN, max: Number.NaN, n: 0 };
  if (why) {
    return {
      engine: 'restate', runs, batches, batchMs: nan, runsPerSecond: nan, latencyMs: nan, latencyP99: Number.NaN, baselineRssMb: Number.NaN, peakRssMb: Number.NaN,
      maxRssMb: Number.NaN, peakHeapMb: Number.NaN, retainedHeapMb: Number.NaN, isolated, skipped: `skipped: ${why}`,
    };
  }
  const d = await RestateDriver.open();
  try {
    const f = await d.concurrency(runs, batches);
    return {
      engine: 'restate', runs, batches, batchMs: f.batchMs, runsPerSecond: f.runsPerSecond, latencyMs: f.latencyMs, latencyP99: f.latencyP99,
      baselineRssMb: f.baselineRssMb, peakRssMb: f.peakRssMb, maxRssMb: f.peakRssMb, peakHeapMb: f.peakHeapMb, retainedHeapMb: Number.NaN, isolated,
      measuredIn: `restate-server (${f.serverPeakRssMb.toFixed(0)} MB peak) + SDK endpoint process`,
    };
  } finally {
    await d.close();
  }
}
