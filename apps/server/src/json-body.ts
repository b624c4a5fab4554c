import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LlmctlError } from '@llmctl/contracts';

const dropProtoKeys = (key: string, value: unknown) => (key === '__proto__' ? undefined : value);

function parseJson(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') {
    done(null, undefined);
    return;
  }
  try {
    done(null, text.includes('"__proto__"') ? JSON.parse(text, dropProtoKeys) : JSON.parse(text));
  } catch (err) {
    done(new LlmctlError('validation_failed', `The request body is not valid JSON: ${(err as Error).message}`, {
      errors: [{ path: '', message: (err as Error).message }],
    }));
  }
}

/**
 * Replaces Fastify's JSON body parser: an empty body is `undefined` (so bodiless DELETEs with a JSON content type
 * work), `__proto__` keys are dropped, and a syntax error is `400 validation_failed` naming the problem. Also accepts
 * `application/*+json`.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: 'string' }, parseJson);
}
