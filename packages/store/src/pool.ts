import pg from 'pg';
import { kyselyOfPool } from './db/kysely.ts';

/** Anything that runs a query: the pool or a checked-out client (inside a transaction). */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Minimal logger the store writes to (pino loggers fit). */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const OID_INT8 = 20;
const OID_TIMESTAMPTZ = 1184;
const OID_TIMESTAMP = 1114;

const TS_RE = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?$/;

/**
 * Parses PostgreSQL's text form of a timestamp (`2024-05-01 12:00:00.123456+02`) to an ISO 8601 UTC string with
 * milliseconds (`2024-05-01T10:00:00.123Z`). Values it cannot represent (`infinity`, BC dates) are returned as is.
 */
export function pgTimestampToIso(text: string): string {
  const m = TS_RE.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (sign) {
    const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000;
    t += sign === '+' ? -offset : offset;
  }
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/**
 * Type parsers of every llmctl pool: `bigint` (sequence and counter columns) → number, `timestamptz` → ISO string.
 */
export const LLMCTL_PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (format !== 'binary') {
      if (oid === OID_INT8) return (v: string) => Number(v);
      if (oid === OID_TIMESTAMPTZ || oid === OID_TIMESTAMP) return pgTimestampToIso;
    }
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  },
};

/** Options of {@link createPool}. */
export interface CreatePoolOptions {
  /** Maximum connections (default 10). */
  max?: number;
  /** Where idle-client errors go (a dropped connection must not crash the process). */
  logger?: StoreLogger;
  applicationName?: string;
}

/**
 * A pg Pool for `url` with llmctl's type parsers, a connect timeout and an idle-error handler; its typed query builder
 * (one `Kysely<DB>` per pool) is created with it and reached with `kyselyOf(pool)`.
 */
export function createPool(url: string, options: CreatePoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // TCP keep-alive notices a connection whose peer vanished (network cut without a reset) instead of waiting forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: options.applicationName ?? 'llmctl',
    types: LLMCTL_PG_TYPES as unknown as pg.CustomTypesConfig,
  });
  pool.on('error', (err) => {
    // While the pool ends (shutdown), connections closing under it are expected.
    if ((pool as unknown as { ending?: boolean }).ending) return;
    options.logger?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'idle database client error');
  });
  kyselyOfPool(pool);
  return pool;
}

/**
 * Runs `fn` inside a transaction on one client of `pool`: COMMIT when it resolves, ROLLBACK when it throws (the error
 * is rethrown). Nothing is half-written.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      broken = rollbackErr as Error;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for printing. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database url>';
  }
}
