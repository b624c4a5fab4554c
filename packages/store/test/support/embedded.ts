import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh `mktemp -d` style directory (mode 0700). */
export async function freshDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-embedded-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh directory for `sharedDir` (mode 0755, root-owned when run as root): what the postgres OS user cannot reach
 * in place goes there instead of `/var/lib/llmctl-pg`, and the test removes it.
 */
export async function freshSharedDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-shared-'));
  await chmod(dir, 0o755);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The pid of a process that has already exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

/** True while `pid` runs (an exited process not yet reaped by its parent, a zombie, counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/**
 * Starts the `hold-embedded` fixture (its own embedded PostgreSQL in `dataDir`) as a child process and resolves once
 * it is ready, with the pids of its postmaster and of the postmaster's watchdog.
 */
export async function holdEmbedded(fixture: string, dataDir: string): Promise<{ child: ChildProcess; pgPid: number; watchdogPid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [pgPid, watchdogPid] = await new Promise<[number, number]>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\d+) (\d+)/.exec(out);
      if (m) resolve([Number(m[1]), Number(m[2])]);
    });
    child.on('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
  });
  return { child, pgPid, watchdogPid };
}

/** SIGKILLs `child` and resolves once it has exited. */
export async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Polls (every 50 ms) until `pid` is gone; false if it still runs after `boundMs`, a bound only reached when the
 * behaviour under test is broken.
 */
export async function gone(pid: number, boundMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
