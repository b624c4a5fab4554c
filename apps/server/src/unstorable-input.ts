import type { FastifyInstance } from 'fastify';
import { LlmctlError } from '@llmctl/contracts';
import { findUnstorableString, unstorableText } from './json-safety.ts';

/**
 * Installs a `preValidation` hook (so it runs after auth and body parsing, before any handler) answering
 * `400 validation_failed` when a path parameter, a query parameter or a raw text body holds a character PostgreSQL
 * cannot store — U+0000 (`%00` in a URL) or a lone surrogate — instead of letting the database refuse it with a 500.
 * JSON bodies are checked by the JSON body parser. Call before the routes are added.
 */
export function installUnstorableInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [part, value] of [['path', req.params], ['query', req.query]] as const) {
      const bad = findUnstorableString(value);
      if (bad) {
        throw new LlmctlError('validation_failed', `A ${part} parameter is invalid: ${bad.message}.`, { errors: [{ path: bad.path, message: bad.message }] });
      }
    }
    if (typeof req.body === 'string') {
      const why = unstorableText(req.body);
      if (why) throw new LlmctlError('validation_failed', `The request body ${why}.`, { errors: [{ path: '', message: why }] });
    }
  });
}
