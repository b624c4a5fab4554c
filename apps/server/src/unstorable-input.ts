import type { FastifyInstance } from 'fastify';
import { LlmctlError } from '@llmctl/contracts';
import { findUnstorableString, unstorableText } from './json-safety.ts';

/**
 * Installs a `preValidation` hook (so it runs after auth and body parsing, before any handler) refusing a character
 * PostgreSQL cannot store — U+0000 (`%00` in a URL) or a lone surrogate — instead of letting the database refuse it
 * with a 500: in a path parameter (an id or name no resource can have) it is `404 not_found`, as for any malformed
 * id; in a query parameter or a raw text body `400 validation_failed`.
 * JSON bodies are checked by the JSON body parser. Call before the routes are added.
 */
export function installUnstorableInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    // A path parameter is an id or a name: one no resource can have is a malformed id, 404 (api.md).
    const badPath = findUnstorableString(req.params);
    if (badPath) throw new LlmctlError('not_found', `No such resource: ${badPath.message}.`, { path: badPath.path });
    const bad = findUnstorableString(req.query);
    if (bad) throw new LlmctlError('validation_failed', `A query parameter is invalid: ${bad.message}.`, { errors: [{ path: bad.path, message: bad.message }] });
    if (typeof req.body === 'string') {
      const why = unstorableText(req.body);
      if (why) throw new LlmctlError('validation_failed', `The request body ${why}.`, { errors: [{ path: '', message: why }] });
    }
  });
}
