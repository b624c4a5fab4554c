/**
 * The Ajv (JSON Schema 2020-12) instance that compiles tool input and output schemas, and the shape in which schema
 * violations are reported in `tool_input_invalid` / `tool_output_invalid` error details.
 */
import type Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '@llmctl/contracts';

/** A JSON Schema object (2020-12). */
export type JsonSchema = Record<string, unknown>;

/** One schema violation as reported in error details (the Ajv error, made plain JSON). */
export interface SchemaViolation {
  instance_path: string;
  schema_path: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

let ajv: Ajv2020 | undefined;

/**
 * The shared tool-schema Ajv instance: all errors, strict schemas, formats, union types, and the contracts'
 * `x-contract-version` annotation (so published contract schemas can be used as output schemas directly).
 */
export function getToolAjv(): Ajv2020 {
  if (!ajv) {
    ajv = createAjv(); // the project's one Ajv factory (strict, formats, the contracts' annotation keywords)
  }
  return ajv;
}

/** Compiles `schema` once (Ajv caches by schema object identity). Throws on an invalid schema. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  return getToolAjv().compile(schema);
}

/** The violations of the last `validate` call, as plain JSON. */
export function violationsOf(validate: ValidateFunction): SchemaViolation[] {
  return (validate.errors ?? []).map((e: ErrorObject) => ({
    instance_path: e.instancePath,
    schema_path: e.schemaPath,
    keyword: e.keyword,
    params: { ...(e.params as Record<string, unknown>) },
    message: `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`,
  }));
}
