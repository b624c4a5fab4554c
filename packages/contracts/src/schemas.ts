/**
 * The published JSON Schemas (2020-12) of the v1 contracts, and one shared, lazily built Ajv instance that validates
 * values against them. Served by `GET /api/contracts/:name`.
 */
import type Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from './schemas/ajv.ts';
import { LlmctlError } from './errors.ts';
import { artifactSchema } from './schemas/artifact.ts';
import { decisionOutputSchema } from './schemas/decision-output.ts';
import { errorEnvelopeSchema } from './schemas/error-envelope.ts';
import { eventEnvelopeSchema } from './schemas/event-envelope.ts';
import { flowchartV1Schema } from './schemas/flowchart-v1.ts';
import { memoryOutputSchema } from './schemas/memory-output.ts';
import { milestoneOutputSchema } from './schemas/milestone-output.ts';
import { nodeOutputSchema } from './schemas/node-output.ts';
import { nodeRunSchema } from './schemas/node-run.ts';
import { planOutputSchema } from './schemas/plan-output.ts';
import { ragOutputSchema } from './schemas/rag-output.ts';
import { routingSchema } from './schemas/routing.ts';
import { runSchema } from './schemas/run.ts';
import { runEventSchema } from './schemas/run-event.ts';
import { toolResultSchema } from './schemas/tool-result.ts';

export { SCHEMA_BASE_URL, schemaId } from './schemas/common.ts';
export { createAjv } from './schemas/ajv.ts';
export * from './schemas/api-workers.ts';
export * from './schemas/api-migrations.ts';
export * from './schemas/api-resources.ts';
export { NODE_ID_PATTERN } from './schemas/flowchart-v1.ts';

/** Every published schema, keyed by name (the `$id` is `https://llmctl.dev/contracts/v1/<name>.schema.json`). */
export const SCHEMAS: Record<string, object> = {
  'flowchart-v1': flowchartV1Schema,
  routing: routingSchema,
  'node-run': nodeRunSchema,
  run: runSchema,
  'node-output': nodeOutputSchema,
  artifact: artifactSchema,
  'tool-result': toolResultSchema,
  'memory-output': memoryOutputSchema,
  'plan-output': planOutputSchema,
  'milestone-output': milestoneOutputSchema,
  'decision-output': decisionOutputSchema,
  'rag-output': ragOutputSchema,
  'error-envelope': errorEnvelopeSchema,
  'event-envelope': eventEnvelopeSchema,
  'run-event': runEventSchema,
};

/** Names of the published schemas, in publication order. */
export const SCHEMA_NAMES: readonly string[] = Object.keys(SCHEMAS);

/** Strips an optional `.schema.json` (or `.json`) suffix: `flowchart-v1.schema.json` → `flowchart-v1`. */
export function schemaName(name: string): string {
  return name.replace(/\.schema\.json$/, '').replace(/\.json$/, '');
}

/** The schema called `name` (an optional `.schema.json` suffix is accepted), or undefined. */
export function getSchema(name: string): object | undefined {
  const key = schemaName(name);
  return Object.prototype.hasOwnProperty.call(SCHEMAS, key) ? SCHEMAS[key] : undefined;
}

/** One schema violation: `path` is a JSON pointer into the value, `schema_path` one into the schema. */
export interface SchemaError {
  path: string;
  message: string;
  schema_path: string;
}

/** The result of `validateAgainst`. */
export interface SchemaValidationResult {
  valid: boolean;
  errors: SchemaError[];
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * The shared Ajv 2020 instance (ajv-formats installed, every contract schema registered under its `$id`, union types
 * allowed, `x-contract-version` known as an annotation; built by `createAjv`). Other validations (e.g. task `output_schema`) may reuse it.
 */
export function getContractsAjv(): Ajv2020 {
  if (!ajv) {
    const instance = createAjv();
    for (const schema of Object.values(SCHEMAS)) instance.addSchema(schema);
    ajv = instance;
  }
  return ajv;
}

function validatorFor(name: string): ValidateFunction {
  const key = schemaName(name);
  let fn = compiled.get(key);
  if (fn) return fn;
  const schema = getSchema(key) as { $id: string } | undefined;
  if (!schema) throw new LlmctlError('not_found', `Unknown contract schema "${name}"`, { name, known: SCHEMA_NAMES });
  fn = getContractsAjv().getSchema(schema.$id);
  if (!fn) throw new LlmctlError('internal', `Contract schema "${key}" did not compile`, { name: key });
  compiled.set(key, fn);
  return fn;
}

/**
 * Validates `value` against the published schema `name` (compiled once and cached). Throws `not_found` for an
 * unknown name. Every violation is returned (Ajv `allErrors`), with redundant `if` wrapper errors removed.
 */
export function validateAgainst(name: string, value: unknown): SchemaValidationResult {
  const fn = validatorFor(name);
  if (fn(value)) return { valid: true, errors: [] };
  const errors = (fn.errors ?? []).filter((e) => e.keyword !== 'if').map(toSchemaError);
  return { valid: false, errors: dedupe(errors) };
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function toSchemaError(e: ErrorObject): SchemaError {
  const p = e.params as Record<string, unknown>;
  let path = e.instancePath;
  let message = e.message ?? 'is invalid';
  switch (e.keyword) {
    case 'required':
      path += `/${escapePointer(String(p.missingProperty))}`;
      message = 'is required';
      break;
    case 'additionalProperties':
      path += `/${escapePointer(String(p.additionalProperty))}`;
      message = 'is not an allowed property';
      break;
    case 'enum':
      message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(p.allowedValue)}`;
      break;
    case 'false schema':
      message = 'is not allowed here';
      break;
  }
  return { path, message: `${path || '(root)'} ${message}`, schema_path: e.schemaPath };
}

function dedupe(errors: SchemaError[]): SchemaError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.path}\u0000${e.message}\u0000${e.schema_path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
