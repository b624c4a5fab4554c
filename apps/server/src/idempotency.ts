import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while this request holds an Idempotency-Key row that its response will complete. */
    idempotencyClaim?: { key: string; scope: string };
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_RE = /^[\x21-\x7e]{1,255}$/;
/** Keys are remembered for 24 hours. */
const TTL = "interval '24 hours'";

/** JSON with object keys sorted, so equal bodies hash equally. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function scopeOf(req: FastifyRequest): string {
  // The method and path, and the caller's token when auth is on (two tokens never share keys).
  const who = req.authPrincipal;
  return `${who ? `${who} ` : ''}${req.method} ${req.url.split('?')[0]}`;
}

/**
 * `Idempotency-Key` on mutations (api.md): the first request with a key runs and its response (status < 500) is
 * stored; a repeat with the same key and body gets that response again (header `Idempotent-Replayed: true`); with
 * another body, `409 idempotency_key_reused`; while the first is still running, `409 conflict` (retryable).
 */
export function installIdempotency(app: FastifyInstance, pool: pg.Pool): void {
  app.decorateRequest('idempotencyClaim', undefined);

  app.addHook('preHandler', async (req, reply) => {
    if (!MUTATING.has(req.method)) return;
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (typeof key !== 'string' || !KEY_RE.test(key)) {
      throw new LlmctlError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
        errors: [{ path: 'headers.idempotency-key', message: 'invalid' }],
      });
    }
    const scope = scopeOf(req);
    const hash = createHash('sha256').update(stableStringify(req.body)).digest('hex');
    // One statement claims the key: a new row, or an expired one taken over as if it were new (row-locked, so of two
    // concurrent claims of an expired key one wins and the other sees it in progress).
    const claimed = await pool.query(
      `INSERT INTO idempotency_keys (key, scope, body_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE SET body_hash = EXCLUDED.body_hash, status_code = NULL, response = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - ${TTL}
       RETURNING key`,
      [key, scope, hash]);
    if (claimed.rowCount === 1) {
      req.idempotencyClaim = { key, scope };
      return;
    }
    const prior = await pool.query<{ body_hash: string; status_code: number | null; response: unknown }>(
      'SELECT body_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
    const row = prior.rows[0];
    if (!row) throw new LlmctlError('conflict', 'The Idempotency-Key changed state concurrently; retry.', { key }, true);
    if (row.body_hash !== hash) {
      throw new LlmctlError('idempotency_key_reused', 'This Idempotency-Key was already used with another request body.', { key });
    }
    if (row.status_code === null) {
      throw new LlmctlError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.', { key }, true);
    }
    reply.header('idempotent-replayed', 'true');
    return reply.code(row.status_code).send(row.response);
  });

  app.addHook('onRequestAbort', async (req) => {
    const claim = req.idempotencyClaim;
    if (!claim) return;
    req.idempotencyClaim = undefined;
    await pool.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status_code IS NULL', [claim.scope, claim.key])
      .catch(() => undefined);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotencyClaim;
    if (!claim) return payload;
    req.idempotencyClaim = undefined;
    try {
      if (reply.statusCode >= 500) {
        await pool.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [claim.scope, claim.key]);
      } else {
        let body: unknown = payload;
        if (typeof payload === 'string') {
          try { body = JSON.parse(payload); } catch { body = payload; }
        }
        await pool.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2',
          [claim.scope, claim.key, reply.statusCode, JSON.stringify(body ?? null)]);
      }
    } catch (err) {
      req.log.warn({ err }, 'could not record the Idempotency-Key response');
    }
    return payload;
  });
}
