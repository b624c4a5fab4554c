/**
 * Translation of llmctl's legacy route-key decisions (no `decision_conditions`): the decision reads
 * `route_field_path` (default `latest_upstream.output_state.structured_output.route_key`), falling back to
 * `latest_upstream.routing_state.route_key`, and takes the connector whose `condition_key` equals
 * `str(value or "").strip()` (`services/tasks.py`, `_execute_flowchart_decision_node`).
 */
import { DEFAULT_ROUTE_FIELD_PATH } from './legacy-decision.ts';
import { pyFloatRepr } from './legacy-python.ts';
import type { Translation } from './translate-condition.ts';

const STRUCTURED = ['latest_upstream', 'output_state', 'structured_output'];
const lit = (s: string): string => JSON.stringify(s);

/** `str(x).strip() == key` for a JSON value in `$name`, limited to values whose str() form is exact. */
function strEquals(name: string, key: string, truthyOnly: boolean): string | null {
  if (key.startsWith('{') || key.startsWith('[')) return null;
  const parts = [`($type(${name}) = "string" and $replace(${name}, /^\\s+|\\s+$/, "") = ${lit(key)})`];
  if (key === 'True') parts.push(`($type(${name}) = "boolean" and ${name} = true)`);
  if (key === 'False' && !truthyOnly) parts.push(`($type(${name}) = "boolean" and ${name} = false)`);
  if (/^-?(0|[1-9][0-9]*)$/.test(key) && key !== '-0') {
    const n = Number(key);
    if (!Number.isSafeInteger(n)) return null;
    if (!(truthyOnly && n === 0)) parts.push(`($type(${name}) = "number" and ${name} = ${n})`);
  } else if (/^-?[0-9.e+-]+$/i.test(key)) {
    const x = Number(key);
    if (Number.isFinite(x) && !Number.isInteger(x) && pyFloatRepr(x) === key) parts.push(`($type(${name}) = "number" and ${name} = ${String(x)})`);
  }
  return `(${parts.join(' or ')})`;
}

function walk(rest: string[]): string {
  const steps = ['$v := output'];
  for (const seg of rest) {
    const byKey = `$type($v) = "object" ? $lookup($v, ${lit(seg)})`;
    steps.push(/^[0-9]+$/.test(seg) && Number.isSafeInteger(Number(seg)) ? `$v := (${byKey} : ($type($v) = "array" ? $v[${Number(seg)}]))` : `$v := (${byKey})`);
  }
  return steps.join('; ');
}

/** The JSONata condition of the connector with `key` on a route-key decision. */
export function translateRouteKey(routeFieldPath: string | null, key: string, structuredUpstream: boolean): Translation {
  const path = (routeFieldPath ?? '').trim() || DEFAULT_ROUTE_FIELD_PATH;
  const segs = path.split('.').map((s) => s.trim()).filter(Boolean);
  if (!structuredUpstream || !STRUCTURED.every((p, i) => segs[i] === p)) {
    return { ok: false, reason: `route_field_path "${path}" does not read the upstream task's structured output` };
  }
  const primary = strEquals('$v', key, true);
  const fallback = strEquals('$r', key, false);
  if (primary === null || fallback === null) return { ok: false, reason: `route key ${JSON.stringify(key)} cannot be compared exactly` };
  const present = '($exists($v) and $type($v) != "null")';
  const falsy = '($type($v) = "string" and $v = "") or ($type($v) = "number" and $v = 0) or ($type($v) = "boolean" and $v = false) or ($type($v) = "array" and $count($v) = 0) or ($type($v) = "object" and $count($keys($v)) = 0)';
  // routing_state.route_key of a task is str(structured_output.route_key).strip() when that is not None and not blank.
  const routing = '$r := ($type(output) = "object" ? $lookup(output, "route_key"))';
  const fb = `(($exists($r) and $type($r) != "null") and ${fallback})`;
  return { ok: true, expression: `(${walk(segs.slice(STRUCTURED.length))}; ${routing}; ${present} ? ($not(${falsy}) and ${primary}) : ${fb})`, notes: [] };
}
