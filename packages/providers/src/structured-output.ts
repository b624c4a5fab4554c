/** Parsing a model's JSON answer, and the instruction used when JSON has to be enforced through the prompt. */
import { LlmctlError } from '@llmctl/contracts';

const FENCE_RE = /^```[ \t]*(?:json|JSON)?[ \t]*\r?\n?([\s\S]*?)\r?\n?[ \t]*```$/;

/**
 * Parses a structured answer: trims it, strips one surrounding ```` ```json ```` (or bare ```` ``` ````) fence and
 * JSON-parses the rest. Throws `LlmctlError('output_invalid')` with `details.reason = 'json_parse'` and an excerpt of
 * the text when it is not JSON (the runtime turns that into a repair prompt).
 */
export function parseStructuredOutput(text: string): unknown {
  let body = text.trim();
  const fenced = FENCE_RE.exec(body);
  if (fenced) body = (fenced[1] ?? '').trim();
  if (body === '') {
    throw new LlmctlError('output_invalid', 'The answer is empty; expected a JSON value', { reason: 'json_parse', excerpt: '' });
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const excerpt = body.length > 200 ? `${body.slice(0, 200)}…` : body;
    throw new LlmctlError('output_invalid', `The answer is not valid JSON: ${why}`, { reason: 'json_parse', excerpt });
  }
}

/** The system instruction that asks for JSON when the provider cannot enforce a schema natively. */
export function jsonInstruction(schema: Record<string, unknown>): string {
  return (
    'Answer with a single JSON value only: no prose, no explanations, no Markdown code fences. ' +
    `The JSON value must validate against this JSON Schema:\n${JSON.stringify(schema)}`
  );
}
