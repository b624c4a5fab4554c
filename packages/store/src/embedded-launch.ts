/** Starting one postmaster of the embedded PostgreSQL and waiting until it accepts connections. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { access, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Binaries } from './embedded-binaries.ts';
import type { RunAs } from './embedded-fs.ts';
import { isAlive, isPostmasterOf, stopPostmaster } from './embedded-process.ts';
import type { StoreLogger } from './pool.ts';

/** Everything needed to start the postmaster of a cluster. */
export interface LaunchSpec {
  bins: Binaries;
  /** PGDATA (its real path: the postmaster is identified by `-D <pgDir>`). */
  pgDir: string;
  port: number;
  password: string;
  settings: Record<string, string | number>;
  as: RunAs | undefined;
  logFile: string;
  startTimeoutMs: number;
}

/** The last lines of a log file ('' when unreadable). */
export async function tail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Environment of PostgreSQL programs: the C locale, nothing of Node's loader options. */
export function pgEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  delete env.NODE_OPTIONS;
  return env;
}

/** Deals with a `postmaster.pid` left behind: stops an orphaned server of this data dir, removes a stale file. */
export async function clearLeftoverPostmaster(pgDir: string, logger?: StoreLogger): Promise<void> {
  const file = join(pgDir, 'postmaster.pid');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (isPostmasterOf(pid, pgDir)) {
    logger?.warn({ pid, pg_data_dir: pgDir }, 'stopping an orphaned embedded PostgreSQL left by a previous llmctl process');
    await stopPostmaster(pid);
  }
  if (await access(file).then(() => true, () => false)) {
    logger?.info({ pid, pg_data_dir: pgDir }, 'removing a stale postmaster.pid');
    await unlink(file).catch(() => undefined);
  }
}

async function readPostmasterStatus(pgDir: string): Promise<{ pid: number; status: string } | undefined> {
  const text = await readFile(join(pgDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split('\n');
  return { pid: Number.parseInt(lines[0] ?? '', 10), status: (lines[7] ?? '').trim() };
}

async function waitReady(child: ChildProcess, spec: LaunchSpec): Promise<boolean> {
  let exited = false;
  child.once('exit', () => { exited = true; });
  const deadline = Date.now() + spec.startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited || !isAlive(child.pid ?? -1)) return false;
    const st = await readPostmasterStatus(spec.pgDir);
    if (st && st.pid === child.pid && st.status === 'ready') {
      const client = new pg.Client({
        host: '127.0.0.1', port: spec.port, user: 'postgres', password: spec.password, database: 'postgres', connectionTimeoutMillis: 2000,
      });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        // not yet
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * Starts the postmaster (detached: its own process group, so a Ctrl-C of the terminal reaches llmctl only) and waits
 * until it answers `SELECT 1`. `onSpawn` sees the pid at once (before it is ready). Returns the child, or undefined
 * after stopping it when it did not become ready (the reason is in the log file).
 */
export async function launchPostmaster(spec: LaunchSpec, onSpawn: (pid: number) => void): Promise<ChildProcess | undefined> {
  const args = ['-D', spec.pgDir, '-p', String(spec.port), ...Object.entries(spec.settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const logFd = openSync(spec.logFile, 'a', 0o640);
  let child: ChildProcess;
  try {
    child = spawn(spec.bins.postgres, args, {
      detached: true, stdio: ['ignore', logFd, logFd], env: pgEnv(), ...(spec.as ? { uid: spec.as.uid, gid: spec.as.gid } : {}),
    });
  } finally {
    closeSync(logFd);
  }
  child.on('error', () => undefined);
  child.unref();
  if (child.pid) onSpawn(child.pid);
  if (await waitReady(child, spec)) return child;
  if (isAlive(child.pid ?? -1)) await stopPostmaster(child.pid!, 5_000);
  return undefined;
}
