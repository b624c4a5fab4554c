import { createHash } from 'node:crypto';
import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { ApiTokenRepository } from '@llmctl/store';

/** SHA-256 (hex) of a bearer token: the only form in which tokens are kept. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The bearer token of an `Authorization` header value, or undefined. */
export function bearerOf(header: unknown): string | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (typeof v !== 'string') return undefined;
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(v);
  return m ? m[1] : undefined;
}

const DB_CACHE_MS = 60_000;

/**
 * The accepted tokens: hashes of the configured ones (env / CLI, in memory) and rows of the `api_tokens` table
 * (`token_hash`), looked up on a miss and cached for a minute. Whether auth is on is decided at start (configured
 * tokens, or rows in `api_tokens`); rows added later are accepted while it is on. A token's principal is `token:<hash prefix>` or
 * `token:<api_tokens.id>`; it scopes rate limits and Idempotency-Keys.
 */
export class TokenSet {
  private readonly memory: Map<string, string>;
  private readonly cache = new Map<string, { principal: string; until: number }>();
  private readonly tokens: ApiTokenRepository;

  private constructor(tokens: readonly string[], pool: pg.Pool, readonly databaseTokens: number) {
    this.tokens = new ApiTokenRepository(pool);
    this.memory = new Map(tokens.map((t) => {
      const h = hashToken(t);
      return [h, `token:${h.slice(0, 12)}`];
    }));
  }

  /**
   * Hashes `tokens` and counts the database's tokens. Fails closed: when the token table cannot be read, this throws
   * `auth_unavailable` (the server must not start) instead of guessing that no token exists and opening the API.
   */
  static async load(tokens: readonly string[], pool: pg.Pool): Promise<TokenSet> {
    let n: number;
    try {
      n = await new ApiTokenRepository(pool).count();
    } catch (err) {
      throw new LlmctlError('auth_unavailable',
        `Cannot read the API tokens from the database, so it is unknown whether authentication is required; refusing to start: ${(err as Error).message}`,
        { pg_code: (err as { code?: string }).code ?? null });
    }
    return new TokenSet(tokens, pool, n);
  }

  /** True when any token is configured (auth is on). */
  get size(): number {
    return this.memory.size + this.databaseTokens;
  }

  /** The principal of a valid token, else null. */
  async verify(token: string | undefined): Promise<string | null> {
    if (!token) return null;
    const h = hashToken(token);
    const mem = this.memory.get(h);
    if (mem) return mem;
    const hit = this.cache.get(h);
    if (hit && hit.until > Date.now()) return hit.principal;
    const id = await this.tokens.idByHash(h);
    if (id === null) return null;
    const principal = `token:${id}`;
    this.cache.set(h, { principal, until: Date.now() + DB_CACHE_MS });
    return principal;
  }
}
