import type { Queryable } from './pool.ts';

/** How long an Idempotency-Key is remembered (api.md: 24 hours). */
const TTL = "interval '24 hours'";

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
    const r = await this.pool.query(
      `INSERT INTO idempotency_keys (key, scope, body_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE SET body_hash = EXCLUDED.body_hash, status_code = NULL, response = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - ${TTL}
       RETURNING key`,
      [key, scope, bodyHash]);
    return r.rowCount === 1;
  }

  /** The row of `key` in `scope`, or null. */
  async read(scope: string, key: string): Promise<IdempotencyRecord | null> {
    const r = await this.pool.query<IdempotencyRecord>(
      'SELECT body_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
    return r.rows[0] ?? null;
  }

  /** Stores the response of a claimed key (later requests with it replay this). */
  async complete(scope: string, key: string, statusCode: number, responseJson: string): Promise<void> {
    await this.pool.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2',
      [scope, key, statusCode, responseJson]);
  }

  /** Forgets a key (its request failed with a server error, so a retry runs again). */
  async forget(scope: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
  }

  /** Forgets a key that is still unanswered (its request was aborted). */
  async release(scope: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status_code IS NULL', [scope, key]);
  }
}
