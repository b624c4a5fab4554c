import type { Queryable } from './pool.ts';
import { kyselyOf } from './db/kysely.ts';

/** The `api_tokens` table, read by token hash (tokens themselves are never stored). */
export class ApiTokenRepository {
  constructor(private readonly pool: Queryable) {}

  /** How many tokens the table holds (throws when it cannot be read: callers fail closed). */
  async count(): Promise<number> {
    const row = await kyselyOf(this.pool).selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return row?.n ?? 0;
  }

  /** The id of the token whose SHA-256 hex hash is `tokenHash`, or null. */
  async idByHash(tokenHash: string): Promise<string | null> {
    const row = await kyselyOf(this.pool).selectFrom('api_tokens').select('id').where('token_hash', '=', tokenHash).executeTakeFirst();
    return row?.id ?? null;
  }
}
