import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LlmctlError } from '@llmctl/contracts';
import type { AppContext } from '../app-context.ts';
import type { RateLimit } from '../config.ts';
import { RateLimiter } from './rate-limiter.ts';
import { TokenSet, bearerOf } from './tokens.ts';

/** Rate limit when tokens are configured and none is set explicitly. */
export const DEFAULT_AUTHENTICATED_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 100 };

/** The outcome of an authentication check. */
export type AuthResult =
  | { ok: true; principal: string | null }
  | { ok: false; code: 'unauthorized' | 'rate_limited'; message: string; retryAfterS?: number };

/** Auth and rate limiting, shared by HTTP routes and the Socket.IO handshake. */
export interface AuthService {
  /** True when bearer tokens are required. */
  readonly enabled: boolean;
  /** The rate limit in force, or null. */
  readonly rateLimit: RateLimit | null;
  /** Checks the bearer token (when auth is on) and takes one request from the caller's bucket. */
  check(token: string | undefined, ip: string): Promise<AuthResult>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Bearer-token auth and rate limiting of this server. */
    llmctlAuth: AuthService;
  }
  interface FastifyRequest {
    /** `token:<…>` when the request carried a valid token; null when the API is open. */
    authPrincipal: string | null;
  }
}

/** Builds the auth service of a configuration (tokens hashed at once; database tokens counted). */
export async function createAuthService(ctx: Pick<AppContext, 'config' | 'db'>): Promise<AuthService> {
  const tokens = await TokenSet.load(ctx.config.apiTokens ?? [], ctx.db.pool);
  const enabled = tokens.size > 0;
  const rateLimit = ctx.config.rateLimit === undefined ? (enabled ? DEFAULT_AUTHENTICATED_RATE_LIMIT : null) : ctx.config.rateLimit;
  const limiter = rateLimit ? new RateLimiter(rateLimit) : null;
  const limited = (key: string): AuthResult | null => {
    const d = limiter?.take(key);
    if (!d || d.ok) return null;
    return { ok: false, code: 'rate_limited', message: `Too many requests; retry in ${d.retryAfterS} s.`, retryAfterS: d.retryAfterS };
  };
  return {
    enabled,
    rateLimit,
    async check(token, ip) {
      if (!enabled) return limited(`ip:${ip}`) ?? { ok: true, principal: null };
      const principal = await tokens.verify(token);
      if (!principal) {
        return limited(`ip:${ip}`) ?? { ok: false, code: 'unauthorized', message: token ? 'The bearer token is not valid.' : 'This API needs Authorization: Bearer <token>.' };
      }
      return limited(principal) ?? { ok: true, principal };
    },
  };
}

/** True for requests that are never authenticated: `GET /api/health` and the studio's pages and assets. */
export function isOpenRoute(req: FastifyRequest): boolean {
  const route = req.routeOptions.url;
  if (route === undefined) {
    const path = req.url.split('?')[0] ?? '';
    return !(path === '/api' || path.startsWith('/api/') || path === '/metrics');
  }
  if (route === '/api/health') return req.method === 'GET' || req.method === 'HEAD';
  return !(route === '/api' || route.startsWith('/api/') || route === '/metrics');
}

/**
 * Installs auth (api.md "Auth"): when tokens are configured, every route but `GET /api/health` (and the studio's
 * static pages, which hold no data) answers `401 unauthorized` without a valid `Authorization: Bearer <token>`; with
 * a rate limit, a caller over it gets `429 rate_limited` with `Retry-After`. Decorates `app.llmctlAuth`. Call before
 * the routes are added.
 */
export async function installAuth(app: FastifyInstance, ctx: Pick<AppContext, 'config' | 'db'>): Promise<AuthService> {
  const auth = await createAuthService(ctx);
  app.decorate('llmctlAuth', auth);
  app.decorateRequest('authPrincipal', null);
  if (!auth.enabled && !auth.rateLimit) return auth;
  app.addHook('onRequest', async (req, reply) => {
    if (isOpenRoute(req)) return;
    const token = bearerOf(req.headers.authorization);
    const r = await auth.check(token, req.ip);
    if (r.ok) {
      req.authPrincipal = r.principal;
      return;
    }
    if (r.code === 'rate_limited') {
      reply.header('retry-after', String(r.retryAfterS ?? 1));
      throw new LlmctlError('rate_limited', r.message, { retry_after_s: r.retryAfterS ?? 1, limit_per_s: auth.rateLimit?.perSecond, burst: auth.rateLimit?.burst }, true);
    }
    reply.header('www-authenticate', 'Bearer');
    throw new LlmctlError('unauthorized', r.message, {});
  });
  return auth;
}
