/**
 * Responses are serialised by their route's response schema (fast-json-stringify), never by a bare JSON.stringify.
 * Serialisers drop what a schema omits, and clients rely on every field, so the compiled copy of each schema is made
 * open (`openForSerialisation`): an object keeps the properties it does not describe and a null stays null. The schema still names every
 * documented field (and is what the OpenAPI document shows); tests hold the documented run and node-run fields to
 * api.md. A value a schema cannot serialise (a required field missing) is sent with JSON.stringify and logged, never
 * turned into a 500; in strict mode (under the test runner, or LLMCTL_STRICT_RESPONSES=1) every response is also
 * compared with JSON.stringify's and a difference (a null sent as "", a number as a string…) fails the request.
 */
import fastJsonStringify from 'fast-json-stringify';
import type { FastifySchema, FastifySerializerCompiler } from 'fastify';
import { isDeepStrictEqual } from 'node:util';
import { LlmctlError } from '@llmctl/contracts';

type Json = Record<string, unknown>;

/** Keywords of a schema whose value is one sub-schema. */
const ONE = ['items', 'additionalItems', 'contains', 'not', 'if', 'then', 'else', 'propertyNames', 'unevaluatedItems'];
/** Keywords whose value is a list of sub-schemas, or a map of them. */
const MANY = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/**
 * A copy of `schema` for serialisation: every object schema keeps undescribed properties (`additionalProperties:
 * true` unless it gives a schema for them), every typed schema admits null (sent as null, never coerced to "" or 0) and
 * annotation-only keywords fast-json-stringify does not know are dropped.
 */
export function openForSerialisation(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openForSerialisation);
  if (!schema || typeof schema !== 'object') return schema;
  const s = nullableInsteadOfAnyOf(schema as Json);
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$schema' || k === 'x-contract-version' || k === 'x-validated-by') continue;
    if (ONE.includes(k)) out[k] = openForSerialisation(v);
    else if (MANY.includes(k)) out[k] = openForSerialisation(v);
    else if (MAPS.includes(k) && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([n, sub]) => [n, openForSerialisation(sub)]));
    else out[k] = v;
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  // A null is sent as null wherever it appears (fast-json-stringify would write "" / 0 / false / {}); an object schema
  // says so with `nullable` (a type list with "object" makes recursive schemas such as Span loop). A value of another
  // type than the schema's then fails fast-json-stringify and is sent by JSON.stringify (see below).
  // An integer is written as the number it is (fast-json-stringify would truncate 1.5 to 1).
  const declared = (Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type]).map((t) => (t === 'integer' ? 'number' : t)) as string[];
  if (declared.length === 1 && declared[0] === 'object') {
    out.type = 'object';
    out.nullable = true;
  } else if (declared.length > 0 && !(declared.length === 1 && declared[0] === 'null')) out.type = [...new Set([...declared, 'null'])];
  const isObject = types.includes('object') || (s.type === undefined && (s.properties !== undefined || s.required !== undefined));
  if (isObject && (s.additionalProperties === undefined || s.additionalProperties === false)) out.additionalProperties = true;
  else if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = openForSerialisation(s.additionalProperties);
  return out;
}

/**
 * `{ anyOf: [<object schema>, { type: 'null' }] }` (an error, a routing record) as one nullable object schema: the
 * same values, serialised without the run-time branch choice fast-json-stringify makes for an anyOf.
 */
function nullableInsteadOfAnyOf(s: Json): Json {
  const branches = s.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return s;
  const nullIndex = branches.findIndex((b) => b && typeof b === 'object' && (b as Json).type === 'null' && Object.keys(b as Json).length === 1);
  const other = branches[1 - nullIndex] as Json | undefined;
  if (nullIndex < 0 || !other || other.type !== 'object' || other.anyOf || other.oneOf || other.allOf || other.if) return s;
  const { anyOf: _a, ...rest } = s;
  return { ...rest, ...other, type: ['object', 'null'] };
}

/** Strict mode: every serialised response is checked against JSON.stringify (the test runner turns it on). */
export function strictResponses(): boolean {
  return process.env.LLMCTL_STRICT_RESPONSES === '1' || (process.env.LLMCTL_STRICT_RESPONSES !== '0' && process.env.NODE_TEST_CONTEXT !== undefined);
}

/** The first JSON pointer where `a` and `b` differ (for the strict-mode message). */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const av = (a as Json)[k];
      const bv = (b as Json)[k];
      if (!isDeepStrictEqual(av, bv)) return firstDifference(av, bv, `${path}/${k}`);
    }
  }
  return `${path || '/'} (schema gives ${JSON.stringify(a)?.slice(0, 80)}, the value is ${JSON.stringify(b)?.slice(0, 80)})`;
}

/**
 * The app's serializer compiler: fast-json-stringify over the opened copy of the route's response schema, with the
 * shared component schemas (`components`, by `$id`) opened the same way.
 */
export function responseSerializerCompiler(components: Json[], warn: (msg: string) => void): FastifySerializerCompiler<FastifySchema> {
  const external = Object.fromEntries(components.map((c) => [c.$id as string, openForSerialisation(c)]));
  return ({ schema, method, url, httpStatus }) => {
    const route = `${method} ${url} (${httpStatus})`;
    const stringify = fastJsonStringify(openForSerialisation(schema) as Parameters<typeof fastJsonStringify>[0], { schema: external as never, ajv: { strict: false } });
    const strict = strictResponses();
    let warned = false;
    return (data: unknown): string => {
      let text: string;
      try {
        text = stringify(data);
      } catch (err) {
        if (strict) throw new LlmctlError('internal', `The response of ${route} does not fit its schema: ${(err as Error).message}`, { route });
        if (!warned) warn(`response of ${route} does not fit its schema (sent as is): ${(err as Error).message}`);
        warned = true;
        return JSON.stringify(data);
      }
      if (strict) {
        const plain = JSON.stringify(data);
        const expected: unknown = plain === undefined ? undefined : JSON.parse(plain);
        const got: unknown = JSON.parse(text);
        if (!isDeepStrictEqual(got, expected)) {
          throw new LlmctlError('internal', `The response schema of ${route} changes the response at ${firstDifference(got, expected)}; describe the field in the route's response schema.`, { route });
        }
      }
      return text;
    };
  };
}
