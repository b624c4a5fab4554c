import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { IdempotencyRepository } from '@llmctl/store';
import { LedgerBatcher } from './idempotency-batch.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while this request holds an Idempotency-Key row that its response will complete. */
    idempotencyClaim?: { key: string; scope: string };
  }
  interface FastifyInstance {
    /** The Idempotency-Key ledger's grouped writes (idempotency-batch.ts). */
    idempotencyLedger: LedgerBatcher;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

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
  const keys = new IdempotencyRepository(pool);
  // Claims and completions of concurrent requests share statements (idempotency-batch.ts).
  const ledger = new LedgerBatcher(keys);
  app.decorate('idempotencyLedger', ledger);

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
    // One statement claims the key (a new row, or one older than 24 hours taken over as if it were new), shared with the
    // claims of concurrent requests.
    if (await ledger.claim(scope, key, hash)) {
      req.idempotencyClaim = { key, scope };
      return;
    }
    const row = await keys.read(scope, key);
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
    await keys.release(claim.scope, claim.key).catch(() => undefined);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotencyClaim;
    if (!claim) return payload;
    req.idempotencyClaim = undefined;
    try {
      if (reply.statusCode >= 500) {
        await keys.forget(claim.scope, claim.key);
      } else {
        let body: unknown = payload;
        if (typeof payload === 'string') {
          try { body = JSON.parse(payload); } catch { body = payload; }
        }
        await ledger.complete(claim.scope, claim.key, reply.statusCode, JSON.stringify(body ?? null));
      }
    } catch (err) {
      req.log.warn({ err }, 'could not record the Idempotency-Key response');
    }
    return payload;
  });
}
