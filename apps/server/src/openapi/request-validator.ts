import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { LlmctlError } from '@llmctl/contracts';

let ajv: Ajv2020 | undefined;
/** Compiled validators by schema text (apps built repeatedly in one process share them). */
const compiled = new Map<string, ReturnType<Ajv2020['compile']>>();

function instance(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ coerceTypes: true, allErrors: true, strict: false, useDefaults: false, removeAdditional: false });
    addFormats(ajv);
  }
  return ajv;
}

function pathOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  return e.keyword === 'required' && missing ? (base ? `${base}.${missing}` : missing) : base;
}

/** An empty query parameter (`?sort=`) means "not given" to every handler, so it is not validated either. */
function withoutEmpty(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== ''));
}

/**
 * Validator compiler of the app: query strings and path parameters are validated (JSON Schema 2020-12, strings
 * coerced to the declared types on a copy — handlers still see the raw strings) and a failure is
 * `400 validation_failed` with `details.errors[]` of `{ path, message }`; bodies and headers pass through, because
 * the handlers validate bodies with their own rules (and codes, such as 422 flowchart_invalid).
 */
export const requestValidatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  if (httpPart !== 'querystring' && httpPart !== 'params') return () => true;
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = instance().compile(schema as object);
    compiled.set(key, validate);
  }
  const v = validate;
  return (data: unknown) => {
    const copy = structuredClone(withoutEmpty(data));
    if (v(copy)) return true;
    const errors = (v.errors ?? []).map((e) => {
      const path = pathOf(e);
      return { path, message: `${path || httpPart} ${e.message ?? 'is invalid'}` };
    });
    return { error: new LlmctlError('validation_failed', errors.map((e) => e.message).join('; '), { errors }) };
  };
};
