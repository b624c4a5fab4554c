import { sql } from 'kysely';
import type { Queryable } from './pool.ts';
import { kyselyOf } from './db/kysely.ts';

/** When a key claimed before it counts as new: it is remembered 24 hours (api.md). */
const EXPIRED_BEFORE = sql<string>`now() - interval '24 hours'`;

/** The stored state of a claimed key: the request body's hash and, once answered, the response. */
export interface IdempotencyRecord {
  body_hash: string;
  /** Null while the first request with the key is still running. */
  status_code: number | null;
  response: unknown;
}

/**
 * The `idempotency_keys` table (one row per `(scope, key)`): claim, read, complete or release a key. Keys older than
 * 24 hours count as new. Every method is one statement on the given pool.
 */
export class IdempotencyRepository {
  constructor(private readonly pool: Queryable) {}

  /**
   * Claims `key` in `scope` for a request whose body hashes to `bodyHash`, in one statement: a new row, or an expired
   * one taken over as if it were new (row-locked, so of two concurrent claims of an expired key one wins and the other
   * sees it in progress). True when this call holds the claim.
   */
  async claim(scope: string, key: string, bodyHash: string): Promise<boolean> {
    const rows = await kyselyOf(this.pool).insertInto('idempotency_keys').values({ key, scope, body_hash: bodyHash })
      .onConflict((oc) => oc.columns(['scope', 'key'])
        .doUpdateSet({ body_hash: (eb) => eb.ref('excluded.body_hash'), status_code: null, response: null, created_at: sql<string>`now()` })
        .where('idempotency_keys.created_at', '<', EXPIRED_BEFORE))
      .returning('key').execute();
    return rows.length === 1;
  }

  /**
   * {@link claim} for several keys in ONE statement (concurrent requests' claims grouped by the server); the items must
   * name distinct `(scope, key)` pairs. Returns the claimed ones as `${scope}\n${key}`.
   */
  async claimMany(items: readonly { scope: string; key: string; bodyHash: string }[]): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const r = await sql<{ scope: string; key: string }>`INSERT INTO idempotency_keys (scope, key, body_hash)
      SELECT * FROM unnest(${items.map((i) => i.scope)}::text[], ${items.map((i) => i.key)}::text[], ${items.map((i) => i.bodyHash)}::text[])
      ON CONFLICT (scope, key) DO UPDATE SET body_hash = excluded.body_hash, status_code = NULL, response = NULL, created_at = now()
      WHERE idempotency_keys.created_at < ${EXPIRED_BEFORE}
      RETURNING scope, key`.execute(kyselyOf(this.pool));
    return new Set(r.rows.map((row) => `${row.scope}\n${row.key}`));
  }

  /** {@link complete} for several claimed keys in ONE statement (distinct `(scope, key)` pairs). */
  async completeMany(items: readonly { scope: string; key: string; statusCode: number; responseJson: string }[]): Promise<void> {
    if (items.length === 0) return;
    await sql`UPDATE idempotency_keys k SET status_code = v.status_code, response = v.response::jsonb
      FROM unnest(${items.map((i) => i.scope)}::text[], ${items.map((i) => i.key)}::text[], ${items.map((i) => i.statusCode)}::int[], ${items.map((i) => i.responseJson)}::text[])
        AS v(scope, key, status_code, response)
      WHERE k.scope = v.scope AND k.key = v.key`.execute(kyselyOf(this.pool));
  }

  /** The row of `key` in `scope`, or null. */
  async read(scope: string, key: string): Promise<IdempotencyRecord | null> {
    const row = await kyselyOf(this.pool).selectFrom('idempotency_keys').select(['body_hash', 'status_code', 'response'])
      .where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    return row ?? null;
  }

  /** Stores the response of a claimed key (later requests with it replay this). */
  async complete(scope: string, key: string, statusCode: number, responseJson: string): Promise<void> {
    await kyselyOf(this.pool).updateTable('idempotency_keys').set({ status_code: statusCode, response: responseJson })
      .where('scope', '=', scope).where('key', '=', key).execute();
  }

  /** Forgets a key (its request failed with a server error, so a retry runs again). */
  async forget(scope: string, key: string): Promise<void> {
    await kyselyOf(this.pool).deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute();
  }

  /** Forgets a key that is still unanswered (its request was aborted). */
  async release(scope: string, key: string): Promise<void> {
    await kyselyOf(this.pool).deleteFrom('idempotency_keys')
      .where('scope', '=', scope).where('key', '=', key).where('status_code', 'is', null).execute();
  }
}
