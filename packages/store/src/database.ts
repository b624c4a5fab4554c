import { resolve } from 'node:path';
import type pg from 'pg';
import { createPool, type StoreLogger } from './pool.ts';
import { migrate, type MigrationResult } from './migrator.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** An external PostgreSQL (15+). When set, no embedded server is started. */
  databaseUrl?: string;
  /** The llmctl data directory of the embedded server (default `.llmctl` in the working directory). */
  dataDir?: string;
  /** Apply pending migrations after connecting (default true). */
  migrate?: boolean;
  /** Pool size (default 10). */
  poolMax?: number;
  /** Embedded test mode: no fsync. */
  fast?: boolean;
  logger?: StoreLogger;
}

/** An open llmctl database. */
export interface Database {
  pool: pg.Pool;
  /** Connection URL (contains the password; print it with `redactUrl`). */
  url: string;
  /** True when this process started the embedded PostgreSQL. */
  embedded: boolean;
  /** The embedded server's data directory, when embedded. */
  dataDir?: string;
  /**
   * The embedded PostgreSQL, when embedded: its supervisor restarts a postmaster that dies (same port) and reports it
   * through `onDown` / `onRestart` / `onFailed`; `state` tells whether it is up.
   */
  embeddedServer?: EmbeddedPostgres;
  /** The migrations applied by this open (when `migrate` was on). */
  migrations?: MigrationResult;
  /** Ends the pool, then stops the embedded server (if any). Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the llmctl database: `databaseUrl` when given (never starts a server), else the embedded PostgreSQL of
 * `dataDir`; then applies migrations. On failure nothing is left running.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  let server: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    server = await startEmbeddedPostgres({ dataDir: resolve(options.dataDir ?? '.llmctl'), fast: options.fast, logger: options.logger });
    url = server.url;
  }
  const pool = createPool(url, { max: options.poolMax, logger: options.logger });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await pool.end().catch(() => undefined);
      await server?.stop();
    })();
    return closing;
  };
  try {
    const migrations = options.migrate === false ? undefined : await migrate(pool);
    return { pool, url, embedded: server !== undefined, dataDir: server?.dataDir, embeddedServer: server, migrations, close };
  } catch (err) {
    await close();
    throw err;
  }
}
