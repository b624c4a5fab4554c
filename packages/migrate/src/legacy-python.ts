/**
 * Python value forms llmctl's decision evaluator relies on, re-implemented exactly enough to reproduce its truth
 * table (source: nodadyoushutup/llmctl `app/llmctl-studio-backend/src/services/task_utils/json_utils.py` and the
 * `_stringify` helper of `_execute_flowchart_decision_node` in `services/tasks.py`).
 *
 * Values arrive as JSON. A JSON number without a fraction is a Python `int` (that is how Python parses what our side
 * serialises), any other number a `float`.
 */

type Json = unknown;

const isPlain = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Python `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16 (`1e-05`, `1e+16`). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${neg ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  let s: string;
  if (exp < 0) s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) s = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  else s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${neg ? '-' : ''}${s}`;
}

/** Python `str()` of a JSON number (int or float, see the module note). */
export function pyNumberStr(x: number): string {
  if (Number.isInteger(x)) return BigInt(x).toString();
  return pyFloatRepr(x);
}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || cp > 0x7e) {
      // ensure_ascii: non-ASCII as \uXXXX (astral characters as surrogate pairs), like json.dumps
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** `json.dumps(value, sort_keys=True)`: separators `", "` / `": "`, ASCII-only output. */
export function pyJsonDumps(v: Json): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : pyFloatRepr(v);
  if (typeof v === 'string') return jsonString(v);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(', ')}]`;
  if (isPlain(v)) {
    const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${jsonString(k)}: ${pyJsonDumps(v[k])}`).join(', ')}}`;
  }
  return 'null';
}

/** `_stringify` of the decision evaluator: None → "", str as is, dict/list → json_dumps, else `str()`. */
export function pyStringify(v: Json): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return pyJsonDumps(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumberStr(v);
  return String(v);
}

/** `extract_path_value`: dot path over dicts and lists (digit segments index lists); missing → undefined. */
export function extractPathValue(payload: Json, path: string): Json {
  const cleaned = (path ?? '').trim();
  if (!cleaned) return undefined;
  let current: Json = payload;
  for (const token of cleaned.split('.')) {
    const segment = token.trim();
    if (!segment) continue;
    if (isPlain(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = current[segment];
      continue;
    }
    if (Array.isArray(current)) {
      if (!/^[0-9]+$/.test(segment)) return undefined;
      const index = Number(segment);
      if (index >= current.length) return undefined;
      current = current[index];
      continue;
    }
    return undefined;
  }
  return current;
}

/** `coerce_bool`: bool as is; str → strip().lower() in {1,true,yes,on}; else Python truthiness. */
export function coerceBool(v: Json): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlain(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python `None` test (JSON null and a missing key both resolve to None). */
export const isNone = (v: Json): boolean => v === null || v === undefined;
