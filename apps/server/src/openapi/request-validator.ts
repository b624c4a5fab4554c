import type Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { createAjv, LlmctlError } from '@llmctl/contracts';
import { COMPONENTS } from './components.ts';

/** Marks a documented body schema whose handler validates the body itself (its own codes, e.g. 422 flowchart_invalid). */
export const VALIDATED_BY_HANDLER = { 'x-validated-by': 'handler' } as const;

let queryAjv: Ajv2020 | undefined;
let bodyAjv: Ajv2020 | undefined;
/** Compiled validators by part and schema text (apps built repeatedly in one process share them). */
const compiled = new Map<string, ValidateFunction>();

/** Query strings and path parameters arrive as strings: coerced to the declared types (on a copy). */
function queryInstance(): Ajv2020 {
  queryAjv ??= createAjv({ coerceTypes: true, strict: false, useDefaults: false, removeAdditional: false });
  return queryAjv;
}

/** Bodies are JSON: validated as sent (no coercion), with the shared component schemas (`{ $ref: 'Name#' }`). */
function bodyInstance(): Ajv2020 {
  if (!bodyAjv) {
    const ajv = createAjv({ strict: false, useDefaults: false, removeAdditional: false });
    ajv.addKeyword({ keyword: 'x-validated-by' });
    for (const c of COMPONENTS) ajv.addSchema(c);
    bodyAjv = ajv;
  }
  return bodyAjv;
}

function pathOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const p = e.params as { missingProperty?: string; additionalProperty?: string };
  const child = e.keyword === 'required' ? p.missingProperty : e.keyword === 'additionalProperties' ? p.additionalProperty : undefined;
  return child ? (base ? `${base}.${child}` : child) : base;
}

function messageOf(e: ErrorObject, path: string, part: string): string {
  if (part !== 'body') return `${path || part} ${e.message ?? 'is invalid'}`;
  const p = e.params as { allowedValues?: unknown[]; additionalProperty?: string };
  if (e.keyword === 'enum' && p.allowedValues) return `${path || part} must be one of ${p.allowedValues.join(', ')}`;
  if (e.keyword === 'additionalProperties' && p.additionalProperty) return `${path} is not an allowed property`;
  if (e.keyword === 'required') return `${path} is required`;
  return `${path || part} ${e.message ?? 'is invalid'}`;
}

/** An empty query parameter (`?sort=`) means "not given" to every handler, so it is not validated either. */
function withoutEmpty(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== ''));
}

/** Ajv failures as `400 validation_failed` with `details.errors[]` of `{ path, message }` (the api.md envelope). */
function failure(errors: ErrorObject[], part: string): { error: LlmctlError } {
  const list = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf').map((e) => {
    const path = pathOf(e);
    return { path, message: messageOf(e, path, part) };
  });
  const unique = list.filter((e, i) => list.findIndex((o) => o.message === e.message) === i);
  return { error: new LlmctlError('validation_failed', unique.map((e) => e.message).join('; ') || `The ${part} is invalid.`, { errors: unique }) };
}

function compile(ajv: Ajv2020, part: string, schema: object): ValidateFunction {
  const key = `${part}\u0000${JSON.stringify(schema)}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Validator compiler of the app (JSON Schema 2020-12, Ajv from `createAjv`). Query strings and path parameters are
 * validated with strings coerced to the declared types on a copy (handlers still see the raw strings). A JSON body
 * is validated against its route's body schema unless that schema is marked `x-validated-by: handler` (the handler
 * then answers with its own rules and codes, e.g. 422 flowchart_invalid); an absent body is left to the handler
 * (which says "A JSON object body is required" where one is). Every failure is `400 validation_failed` with
 * `details.errors[]` of `{ path, message }`; headers pass through.
 */
export const requestValidatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  if (httpPart === 'body') {
    if ((schema as Record<string, unknown>)['x-validated-by'] === 'handler') return () => true;
    const v = compile(bodyInstance(), 'body', schema as object);
    return (data: unknown) => (data === null || data === undefined || v(data) ? true : failure(v.errors ?? [], 'body'));
  }
  if (httpPart !== 'querystring' && httpPart !== 'params') return () => true;
  const v = compile(queryInstance(), httpPart, schema as object);
  return (data: unknown) => {
    const copy = structuredClone(withoutEmpty(data));
    return v(copy) ? true : failure(v.errors ?? [], httpPart);
  };
};
