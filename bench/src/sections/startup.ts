import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_MODEL_INPUT, llmctlDocument } from '../llmctl-graphs.ts';
import { summarizeProfile, type ProfileSummary } from '../profile.ts';
import { REPO_ROOT } from '../spawn-worker.ts';
import { epochMs, invertSummary, percentile, summarize, type Summary } from '../stats.ts';
import { MB } from './memory.ts';

/** Cold and warm start-up of `llmctl serve` (spawn → first 200 from GET /api/health). */
export interface StartupResult {
  cold: Summary;
  warm: Summary;
  /** Set when `llmctl serve` could not be measured. */
  skipped?: string;
}

/** 200 concurrent 3-node runs through the HTTP API of a real `llmctl serve` process. */
export interface ServerLoadResult {
  runs: number;
  batches: number;
  batchMs: Summary;
  runsPerSecond: Summary;
  latencyMs: Summary;
  latencyP99: number;
  /** Server RSS before the batches, peak sampled during them, and the kernel's high-water mark (VmHWM). */
  baselineRssMb: number;
  peakRssMb: number;
  hwmRssMb: number;
  /** CPU time (user + system) over the batches, per run: the server process, and its PostgreSQL (postmaster and backends). */
  serverCpuMsPerRun?: number;
  postgresCpuMsPerRun?: number;
  /** CPU time of this (the client) process over the batches, per run. */
  clientCpuMsPerRun?: number;
  /** CPU profile of the server process over its whole life (start-up, warm-up, load), when taken. */
  profile?: { file: string; summary: ProfileSummary };
  skipped?: string;
}

const CLI = join(REPO_ROOT, 'apps/server/bin/llmctl.mjs');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** A running `llmctl serve`. */
export interface Served {
  child: ChildProcess;
  url: string;
  dataDir: string;
  ms: number;
  stop(): Promise<void>;
}

/** Starts `llmctl serve` of the repository at `root` (default: this one) on `dataDir`; resolves once it is healthy. */
export async function serve(dataDir: string, cpuProfDir?: string, root = REPO_ROOT): Promise<Served> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, LLMCTL_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  for (const k of ['LLMCTL_HOST', 'LLMCTL_PORT', 'LLMCTL_DATA_DIR']) delete env[k];
  const t0 = epochMs();
  const prof = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, '--cpu-prof-interval=500'] : [];
  const cli = root === REPO_ROOT ? CLI : join(root, 'apps/server/bin/llmctl.mjs');
  const child = spawn(process.execPath, [...prof, cli, 'serve', '--port', String(port), '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  let exited = false;
  const exit = new Promise<void>((r) => child.on('exit', () => {
    exited = true;
    r();
  }));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGINT');
    const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exit;
    clearTimeout(t);
  };
  for (const deadline = t0 + 180_000; epochMs() < deadline;) {
    if (exited) throw new Error(`llmctl serve exited before it was healthy:\n${output.trim()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return { child, url, dataDir, ms: epochMs() - t0, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await stop();
  throw new Error(`llmctl serve was not healthy within 180 s:\n${output.trim()}`);
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? (Number(m[1]) * 1024) / MB : Number.NaN;
}

/** CPU time (user + system, own and reaped children, ms) of a process; 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10; // utime stime cutime cstime, 100 Hz ticks
  } catch {
    return 0;
  }
}

/** The embedded PostgreSQL of a data directory: its postmaster and the postmaster's children (backends, workers). */
function postgresPids(dataDir: string): number[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const postmaster = all.find((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes(dataDir) && /postgres\0/.test(cmd) && !/pg_ctl/.test(cmd);
    } catch {
      return false;
    }
  });
  if (postmaster === undefined) return [];
  const kids = all.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(postmaster);
    } catch {
      return false;
    }
  });
  return [postmaster, ...kids];
}

/** Total CPU ms of the server process and of its PostgreSQL, now. */
function cpuNow(s: Served): { server: number; postgres: number } {
  return { server: cpuMs(s.child.pid!), postgres: postgresPids(s.dataDir).reduce((t, pid) => t + cpuMs(pid), 0) };
}

async function api<T>(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await fetch(`${url}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { data?: T };
  return { status: res.status, data: json.data as T };
}

/** Drives N concurrent 3-node runs through the server's HTTP API (start, then long-poll until finished). */
export async function serverLoad(s: Served, runs: number, batches: number): Promise<ServerLoadResult> {
  const empty: Summary = { min: Number.NaN, median: Number.NaN, max: Number.NaN, n: 0 };
  const skipped = (why: string): ServerLoadResult => ({ runs, batches, batchMs: empty, runsPerSecond: empty, latencyMs: empty, latencyP99: Number.NaN, baselineRssMb: Number.NaN, peakRssMb: Number.NaN, hwmRssMb: Number.NaN, skipped: why });
  const model = await api(s.url, 'POST', '/api/models', BENCH_MODEL_INPUT);
  if (model.status !== 201 && model.status !== 409) return skipped(`POST /api/models answered ${model.status}`);
  const fc = await api<{ id: string }>(s.url, 'POST', '/api/flowcharts', llmctlDocument({ kind: 'flow3' }, 'task'));
  if (fc.status !== 201) return skipped(`POST /api/flowcharts answered ${fc.status}`);
  const one = async (): Promise<number> => {
    const t0 = epochMs();
    const started = await api<{ id: string }>(s.url, 'POST', `/api/flowcharts/${fc.data.id}/runs`, { input: { bench: true } });
    if (started.status !== 201) throw new Error(`POST /api/flowcharts/:id/runs answered ${started.status}`);
    for (;;) {
      const r = await api<{ status: string }>(s.url, 'GET', `/api/runs/${started.data.id}?wait_s=30`);
      if (r.status !== 200) throw new Error(`GET /api/runs/:id answered ${r.status}`);
      if (r.data.status === 'succeeded') return epochMs() - t0;
      if (['failed', 'canceled', 'paused'].includes(r.data.status)) throw new Error(`run ended ${r.data.status}`);
    }
  };
  try {
    for (let i = 0; i < 5; i++) await one();
  } catch (err) {
    return skipped(`the run API of llmctl serve is not usable yet (${(err as Error).message})`);
  }
  const pid = s.child.pid!;
  const baseline = procStatus(pid, 'VmRSS');
  let peak = baseline;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, procStatus(pid, 'VmRSS'));
    } catch {
      // exited
    }
  }, 20);
  const walls: number[] = [];
  const latencies: number[] = [];
  const cpu0 = cpuNow(s);
  const client0 = process.cpuUsage();
  try {
    for (let b = 0; b < batches; b++) {
      const t0 = epochMs();
      latencies.push(...(await Promise.all(Array.from({ length: runs }, () => one()))));
      walls.push(epochMs() - t0);
    }
  } finally {
    clearInterval(timer);
  }
  const cpu1 = cpuNow(s);
  const client = process.cpuUsage(client0);
  const batchMs = summarize(walls);
  return {
    serverCpuMsPerRun: (cpu1.server - cpu0.server) / (runs * batches), postgresCpuMsPerRun: (cpu1.postgres - cpu0.postgres) / (runs * batches),
    clientCpuMsPerRun: (client.user + client.system) / 1000 / (runs * batches),
    runs, batches, batchMs, runsPerSecond: invertSummary(batchMs, (v) => (runs * 1000) / v), latencyMs: summarize(latencies),
    latencyP99: percentile(latencies, 99), baselineRssMb: baseline, peakRssMb: Math.max(peak, procStatus(pid, 'VmRSS')), hwmRssMb: procStatus(pid, 'VmHWM'),
  };
}

/**
 * Cold start-ups (fresh data directory: initdb, migrations, seeding) and warm ones (the same directory again) of
 * `llmctl serve`, timed from spawn to the first 200 of GET /api/health; then, on the last warm server, the HTTP
 * load test (unless `load` is null).
 */
export async function runStartup(o: { cold: number; warm: number; load: { runs: number; batches: number } | null; profileDir?: string }, log: (msg: string) => void): Promise<{ startup: StartupResult; load: ServerLoadResult | null }> {
  const empty: Summary = { min: Number.NaN, median: Number.NaN, max: Number.NaN, n: 0 };
  if (!existsSync(CLI)) return { startup: { cold: empty, warm: empty, skipped: `${CLI} does not exist` }, load: null };
  const dirs: string[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  let load: ServerLoadResult | null = null;
  try {
    let dir = '';
    for (let i = 0; i < o.cold; i++) {
      dir = await mkdtemp(join(tmpdir(), 'llmctl-bench-serve-'));
      dirs.push(dir);
      const s = await serve(dir);
      cold.push(s.ms);
      await s.stop();
      log(`  cold start ${s.ms.toFixed(0)} ms`);
    }
    if (!dir) {
      dir = await mkdtemp(join(tmpdir(), 'llmctl-bench-serve-'));
      dirs.push(dir);
    }
    for (let i = 0; i < o.warm; i++) {
      const s = await serve(dir);
      warm.push(s.ms);
      log(`  warm start ${s.ms.toFixed(0)} ms`);
      await s.stop();
    }
    if (o.load) {
      // One more start for the load test, under the CPU profiler when asked (not counted as a start-up).
      const profDir = o.profileDir ? join(o.profileDir, `serve-${Date.now()}`) : undefined;
      if (profDir) await mkdir(profDir, { recursive: true });
      const s = await serve(dir, profDir);
      try {
        load = await serverLoad(s, o.load.runs, o.load.batches);
        log(load.skipped ? `  server load skipped: ${load.skipped}` : `  server load: ${load.runsPerSecond.median.toFixed(0)} runs/s, peak RSS ${load.peakRssMb.toFixed(0)} MB`);
      } finally {
        await s.stop();
      }
      if (profDir && !load.skipped) {
        const files = (await readdir(profDir)).filter((f) => f.endsWith('.cpuprofile'));
        if (files[0]) load.profile = { file: join(profDir, files[0]), summary: summarizeProfile(join(profDir, files[0])) };
      }
    }
    return { startup: { cold: summarize(cold), warm: summarize(warm) }, load };
  } catch (err) {
    return { startup: { cold: summarize(cold), warm: summarize(warm), skipped: (err as Error).message.slice(0, 500) }, load };
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true }).catch(() => undefined);
  }
}
