import type { Queryable } from './pool.ts';

/** The `api_tokens` table, read by token hash (tokens themselves are never stored). */
export class ApiTokenRepository {
  constructor(private readonly pool: Queryable) {}

  /** How many tokens the table holds (throws when it cannot be read: callers fail closed). */
  async count(): Promise<number> {
    const r = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens');
    return r.rows[0]?.n ?? 0;
  }

  /** The id of the token whose SHA-256 hex hash is `tokenHash`, or null. */
  async idByHash(tokenHash: string): Promise<string | null> {
    const r = await this.pool.query<{ id: string }>('SELECT id FROM api_tokens WHERE token_hash = $1', [tokenHash]);
    return r.rows[0]?.id ?? null;
  }
}
