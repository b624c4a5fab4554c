import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

/** The store's typed query builder: Kysely over the generated database types (`db/schema.ts`). */
export type StoreDb = Kysely<DB>;

/** Anything that runs a query: a pool, a checked-out client, or an object with the pool's `query`. */
type QueryTarget = Pick<pg.Pool, 'query'> | pg.PoolClient;

const byTarget = new WeakMap<object, StoreDb>();

/**
 * The one Kysely of `pool` (created with the pool by `createPool`, else on first use): a PostgresDialect over the pool
 * itself, so its queries, connections and transactions are the pool's, parsed by the pool's type parsers.
 */
export function kyselyOfPool(pool: pg.Pool): StoreDb {
  let db = byTarget.get(pool);
  if (!db) {
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as PostgresPool }) });
    byTarget.set(pool, db);
  }
  return db;
}

/**
 * A Kysely for `target`: the pool's own one for a `pg.Pool`; for a checked-out client (a statement inside a caller's
 * transaction) or any other queryable, one that sends every statement to `target.query` (never run a Kysely
 * transaction on those: BEGIN would not pin a connection).
 */
export function kyselyOf(target: QueryTarget): StoreDb {
  if (target instanceof pg.Pool) return kyselyOfPool(target);
  let db = byTarget.get(target);
  if (!db) {
    const client = {
      query: (text: string, values: unknown[]) => target.query(text, values),
      release: () => undefined,
    };
    const single = { connect: () => Promise.resolve(client), end: () => Promise.resolve() };
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: single as unknown as PostgresPool }) });
    byTarget.set(target, db);
  }
  return db;
}
