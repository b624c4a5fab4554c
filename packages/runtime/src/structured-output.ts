import { LlmctlError, createAjv } from '@llmctl/contracts';

const FENCE = /^```[ \t]*(?:json|JSON)?[ \t]*\r?\n?([\s\S]*?)\r?\n?[ \t]*```$/;

/** Parses a structured answer: trimmed, one surrounding ```json fence stripped, JSON-parsed. Throws output_invalid. */
export function parseJsonAnswer(text: string): unknown {
  let body = text.trim();
  const fenced = FENCE.exec(body);
  if (fenced) body = (fenced[1] ?? '').trim();
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new LlmctlError('output_invalid', `the answer is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { reason: 'json_parse', excerpt: body.slice(0, 200) });
  }
}

const ajv = createAjv({ strict: false }); // output schemas are the user's: unknown keywords are ignored
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/** Validates a value against a node's output schema; returns readable errors (empty when valid). */
export function schemaErrors(schema: Record<string, unknown>, value: unknown): string[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (err) {
      throw new LlmctlError('node_config_invalid', `output_schema does not compile: ${err instanceof Error ? err.message : String(err)}`);
    }
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
