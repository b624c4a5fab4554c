import { Kysely, PostgresDialect, sql, type PostgresPool, type RawBuilder } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

/** The store's typed query builder: Kysely over the generated database types (`db/schema.ts`). */
export type StoreDb = Kysely<DB>;

/** Anything that runs a query: a pool, a checked-out client, or an object with the pool's `query`. */
type QueryTarget = Pick<pg.Pool, 'query'> | pg.PoolClient;

type QueryFn = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

const TRANSACTION_START = /^\s*(begin|start\s+transaction)\b/i;

/**
 * The "connection" Kysely gets from a pool: a single statement runs through `pool.query` (as the store's raw SQL
 * does, so the pool's own checkout, error handling and any wrapper of `pool.query` see it); a transaction (Kysely
 * sends `begin` / `start transaction` first) checks out one client and keeps every statement on it until Kysely
 * releases the connection (with `discard` after a failed ROLLBACK, like `withTransaction`).
 */
class PoolStatementClient {
  private pinned: pg.PoolClient | undefined;

  constructor(private readonly pool: pg.Pool) {}

  async query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    if (!this.pinned && TRANSACTION_START.test(text)) this.pinned = await this.pool.connect();
    const run: QueryFn = this.pinned ? (t, v) => this.pinned!.query(t, v) : (t, v) => this.pool.query(t, v);
    return run(text, values);
  }

  release(discard?: boolean): void {
    const client = this.pinned;
    this.pinned = undefined;
    client?.release(discard);
  }
}

const byTarget = new WeakMap<object, StoreDb>();

/**
 * The one Kysely of `pool` (created with the pool by `createPool`, else on first use). Its queries run on the pool
 * (see {@link PoolStatementClient}) and are parsed by the pool's type parsers; `db.transaction()` runs on one client.
 */
export function kyselyOfPool(pool: pg.Pool): StoreDb {
  let db = byTarget.get(pool);
  if (!db) {
    const dialectPool = { connect: () => Promise.resolve(new PoolStatementClient(pool)), end: () => Promise.resolve() };
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: dialectPool as unknown as PostgresPool }) });
    byTarget.set(pool, db);
  }
  return db;
}

/**
 * A Kysely for `target`: the pool's own one for a `pg.Pool`; for a checked-out client (a statement inside a caller's
 * transaction) or any other queryable, one that sends every statement to `target.query` (never start a Kysely
 * transaction on those: use the pool's).
 */
export function kyselyOf(target: QueryTarget): StoreDb {
  if (target instanceof pg.Pool) return kyselyOfPool(target);
  let db = byTarget.get(target);
  if (!db) {
    const client = { query: (text: string, values: unknown[]) => target.query(text, values), release: () => undefined };
    const single = { connect: () => Promise.resolve(client), end: () => Promise.resolve() };
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: single as unknown as PostgresPool }) });
    byTarget.set(target, db);
  }
  return db;
}

/**
 * `= ANY($n::text[])` operand for a list of text values (one array parameter whatever the list's length, as the
 * hand-written SQL did): `where('id', '=', anyText(ids))`.
 */
export function anyText(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${values}::text[])`;
}
