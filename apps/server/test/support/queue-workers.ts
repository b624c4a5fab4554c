import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const BIN = fileURLToPath(new URL('../../bin/llmctl.mjs', import.meta.url));

/** An `llmctl worker` child process. */
export interface WorkerProcess {
  child: ChildProcess;
  name: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `llmctl worker` on `databaseUrl` with `args`; resolves once its row is in executor_workers. */
export async function startWorker(pool: pg.Pool, databaseUrl: string, name: string, args: string[] = [], env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--name', name, '--heartbeat-timeout-s', '2', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LLMCTL_LOG_LEVEL: 'silent', LLMCTL_EXECUTOR_POLL_MS: '200', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker ${name} exited early: ${out}`);
    const r = await pool.query(`SELECT 1 FROM executor_workers WHERE name = $1 AND pid = $2`, [name, child.pid]);
    if (r.rowCount === 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, name, output: () => out, exited };
}

/** Stops a worker with `signal` and waits; resolves with its exit code. */
export async function stopWorker(w: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  return w.exited;
}

/** Polls `check` every 50 ms until it returns a truthy value (gating on state, never on a fixed sleep). */
export async function until<T>(check: () => Promise<T | null | undefined | false>, what: string, limit = 2400): Promise<T> {
  for (let i = 0; i < limit; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
