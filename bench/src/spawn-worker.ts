import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerTask } from './worker.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The repository root (the worker resolves workspace packages from there). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a task in a fresh `node --import tsx` process and returns its JSON result. */
export function runInWorker<T>(task: WorkerTask, timeoutMs = 300_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', WORKER, JSON.stringify(task)], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0) {
        try {
          resolve(JSON.parse(last) as T);
          return;
        } catch {
          // fall through
        }
      }
      reject(new Error(`benchmark worker (${task.kind}) failed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}

/** RSS (MB) of an idle plain `node` process (no tsx), after a GC. */
export function plainNodeRssMb(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '-e', 'gc(); console.log(process.memoryUsage().rss / 2 ** 20)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`node exited ${code}`))));
  });
}
