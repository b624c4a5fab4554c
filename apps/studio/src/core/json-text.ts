/** Parse checks for the editor's text fields: JSON values, JSON Schemas, templates (JSONata: condition-check.ts). */

/** Outcome of parsing a text field. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses JSON; empty text is `undefined` when `allowEmpty`. */
export function parseJsonText(text: string, allowEmpty = true): ParseResult<unknown> {
  if (text.trim() === '') return allowEmpty ? { ok: true, value: undefined } : { ok: false, error: 'a JSON value is required' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Parses a JSON object (e.g. an output_schema or model settings); arrays and scalars are rejected. */
export function parseJsonObject(text: string, allowEmpty = true): ParseResult<Record<string, unknown> | undefined> {
  const r = parseJsonText(text, allowEmpty);
  if (!r.ok) return r;
  if (r.value === undefined) return { ok: true, value: undefined };
  if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) return { ok: false, error: 'must be a JSON object' };
  return { ok: true, value: r.value as Record<string, unknown> };
}

/** Checks that a JSON Schema parses and has a plausible shape (an object whose `type`, if any, is a known type). */
export function parseJsonSchema(text: string): ParseResult<Record<string, unknown> | undefined> {
  const r = parseJsonObject(text);
  if (!r.ok || r.value === undefined) return r;
  const known = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
  const t = r.value.type;
  const types = Array.isArray(t) ? t : t === undefined ? [] : [t];
  const bad = types.find((x) => typeof x !== 'string' || !known.includes(x));
  if (bad !== undefined) return { ok: false, error: `unknown schema type ${JSON.stringify(bad)}` };
  return r;
}

/**
 * Reads a template field: text that parses as a JSON object or array becomes that JSON value (its string leaves are
 * templates); anything else stays a string template.
 */
export function parseTemplateText(text: string): unknown {
  const t = text.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Shows a template value as editable text. */
export function templateToText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Pretty JSON for display (undefined shows as empty). */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
