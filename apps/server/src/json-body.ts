import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LlmctlError } from '@llmctl/contracts';
import { parseLimitedJson } from './json-safety.ts';

const dropProtoKeys = (key: string, value: unknown) => (key === '__proto__' ? undefined : value);

function parseJson(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') {
    done(null, undefined);
    return;
  }
  const r = parseLimitedJson(text, text.includes('"__proto__"') ? dropProtoKeys : undefined);
  if (r.ok) done(null, r.value);
  else done(new LlmctlError('validation_failed', `The request body is ${r.reason}.`, { errors: [r.problem] }));
}

/**
 * Replaces Fastify's JSON body parser: an empty body is `undefined` (so bodiless DELETEs with a JSON content type
 * work), `__proto__` keys are dropped, and `400 validation_failed` names the problem of a body that is not JSON, is
 * nested deeper than `MAX_JSON_DEPTH` (64) levels (checked on the raw text before parsing), or holds a string or key
 * PostgreSQL cannot store (U+0000, a lone surrogate). Also accepts `application/*+json`.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: 'string' }, parseJson);
}
