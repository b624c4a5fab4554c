/**
 * Limits every JSON document the server (and `llmctl validate`) accepts, so that nothing which cannot be processed or
 * stored reaches a handler: a nesting limit checked on the raw text before `JSON.parse` recurses, and a walk that
 * refuses strings (keys included) PostgreSQL cannot hold — U+0000 and lone UTF-16 surrogates.
 */

/** Deepest nesting of arrays and objects accepted in a JSON document (`[[1]]` is depth 2). */
export const MAX_JSON_DEPTH = 64;

/** A problem with a JSON document: its `{ path, message }` and a sentence for the error message. */
export interface JsonProblem {
  path: string;
  message: string;
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The nesting depth of the raw JSON text, counting `[`/`{` outside strings; stops counting (returning `limit + 1`) as
 * soon as `limit` is exceeded. Malformed text is not an error here (`JSON.parse` reports it afterwards).
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return max;
}

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `s` cannot be stored as PostgreSQL text or jsonb (a NUL or a lone surrogate), else undefined. */
export function unstorableText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'must not contain a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * `s` made storable where refusing it would be wrong (text extracted from an uploaded document): NUL characters are
 * dropped and lone surrogates become U+FFFD.
 */
export function storableText(s: string): string {
  return s.replace(/\u0000/g, '').replace(LONE_SURROGATES, '\ufffd');
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key).slice(0, 80)}]`;
}

/**
 * The first string or key in `value` that cannot be stored (see {@link unstorableText}), as a problem naming its
 * path; undefined when every string is storable. `value` is a parsed JSON value or a parsed query string. Recursion
 * is bounded by the nesting of `value` (bodies are depth-checked first; query objects are shallow).
 */
export function findUnstorableString(value: unknown, path = ''): JsonProblem | undefined {
  if (typeof value === 'string') {
    const why = unstorableText(value);
    return why ? { path, message: `${path || 'value'} ${why}` } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findUnstorableString(value[i], join(path, i));
      if (p) return p;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const why = unstorableText(k);
    if (why) return { path: join(path, k), message: `a key in ${path || 'the document'} ${why}` };
    const p = findUnstorableString(v, join(path, k));
    if (p) return p;
  }
  return undefined;
}

/**
 * Parses JSON text under the limits: `{ ok: true, value }`, or `{ ok: false, reason, problem }` when the text is nested
 * too deeply, is not JSON, or holds a string that cannot be stored; `reason` completes a sentence such as
 * "The request body is …" (e.g. `nested deeper than 64 levels of arrays and objects`). `reviver` goes to `JSON.parse`.
 */
export function parseLimitedJson(
  text: string,
  reviver?: (key: string, value: unknown) => unknown,
): { ok: true; value: unknown } | { ok: false; reason: string; problem: JsonProblem } {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    const why = `nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;
    return { ok: false, reason: why, problem: { path: '', message: why } };
  }
  let value: unknown;
  try {
    value = reviver ? JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown) : JSON.parse(text);
  } catch (err) {
    const m = (err as Error).message;
    return { ok: false, reason: `not valid JSON: ${m}`, problem: { path: '', message: m } };
  }
  const bad = findUnstorableString(value);
  if (bad) return { ok: false, reason: `not storable: ${bad.message}`, problem: bad };
  return { ok: true, value };
}
