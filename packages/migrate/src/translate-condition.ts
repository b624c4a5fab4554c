/**
 * Translates an llmctl decision `condition_text` into a JSONata condition over our scope with the same truth table
 * as llmctl's evaluator (see legacy-decision.ts), or says why no exact translation exists.
 *
 * Correspondence: the decision's triggering `output` is the upstream task's `structured_output`, so
 * `latest_upstream.output_state.structured_output.<p>` becomes a strict path `<p>` under `output` (dicts by key,
 * lists by digit segments, anything else missing — never JSONata's array mapping).
 */
import { CONTAINS_RE, EQUALS_RE, stripQuotes } from './legacy-decision.ts';
import { pyFloatRepr } from './legacy-python.ts';

/** Keys of llmctl's decision input context (`_build_flowchart_input_context`). */
export const CONTEXT_ROOT_KEYS = [
  'flowchart', 'node', 'upstream_nodes', 'latest_upstream', 'dotted_upstream_nodes', 'context_only_upstream_nodes',
  'attachment_only_upstream_nodes', 'trigger_sources', 'pulled_dotted_sources', 'context_only_sources',
  'pulled_attachment_sources', 'attachment_only_sources', 'context_only_source_count', 'attachment_only_source_count',
  'propagated_attachments',
];
/** Text that is always in the serialised context of a decision (keys and fixed values). */
const ALWAYS_PRESENT = [...CONTEXT_ROOT_KEYS, 'id', 'type', 'decision', 'execution_index', 'run_id', 'total_execution_count'];

/** A note the mapper turns into a report issue. */
export interface TranslationNote {
  code: 'condition_constant_false' | 'condition_constant_true' | 'condition_contains_structured_fails' | 'decision_condition_empty';
  message: string;
}

export type Translation = { ok: true; expression: string; notes: TranslationNote[] } | { ok: false; reason: string };

/** What the translator knows about the decision. */
export interface TranslateOptions {
  /** The decision has exactly one incoming solid edge and it comes from a task (its output is `structured_output`). */
  structuredUpstream: boolean;
}

const STRUCTURED_PREFIXES = [['latest_upstream', 'output_state', 'structured_output'], ['upstream_nodes', '0', 'output_state', 'structured_output']];
const lit = (s: string): string => JSON.stringify(s);

type PathKind = { kind: 'structured'; rest: string[] } | { kind: 'never' } | { kind: 'metadata'; why?: string };

function classifyPath(path: string, opts: TranslateOptions): PathKind {
  const segs = path.split('.').map((s) => s.trim()).filter((s) => s !== '');
  if (segs.length === 0) return { kind: 'metadata' };
  if (!CONTEXT_ROOT_KEYS.includes(segs[0]!)) return { kind: 'never' };
  for (const prefix of STRUCTURED_PREFIXES) {
    if (prefix.every((p, i) => segs[i] === p)) {
      return opts.structuredUpstream ? { kind: 'structured', rest: segs.slice(prefix.length) } : { kind: 'metadata', why: 'the decision is not fed by exactly one task, so its input is not that task\'s structured output' };
    }
  }
  return { kind: 'metadata' };
}

/** `$v := …` steps that walk `rest` under `output` like Python's extract_path_value. */
function accessor(rest: string[]): string {
  const steps = ['$v := output'];
  for (const seg of rest) {
    const byKey = `$type($v) = "object" ? $lookup($v, ${lit(seg)})`;
    steps.push(/^[0-9]+$/.test(seg) && Number.isSafeInteger(Number(seg)) ? `$v := (${byKey} : ($type($v) = "array" ? $v[${Number(seg)}]))` : `$v := (${byKey})`);
  }
  return steps.join('; ');
}

const PRESENT = '($exists($v) and $type($v) != "null")';

/** Python `str(v) == expected` for a present value, or null when it cannot be expressed exactly. */
function equalsExpected(expected: string): string | null {
  if (expected.startsWith('{') || expected.startsWith('[')) return null;
  const parts = [`($type($v) = "string" and $v = ${lit(expected)})`];
  if (expected === 'True') parts.push('($type($v) = "boolean" and $v = true)');
  if (expected === 'False') parts.push('($type($v) = "boolean" and $v = false)');
  if (/^-?(0|[1-9][0-9]*)$/.test(expected) && expected !== '-0') {
    const n = Number(expected);
    if (!Number.isSafeInteger(n)) return null;
    parts.push(`($type($v) = "number" and $v = ${n})`);
  } else if (/^-?[0-9.e+-]+$/i.test(expected)) {
    const x = Number(expected);
    if (Number.isFinite(x) && !Number.isInteger(x) && pyFloatRepr(x) === expected) parts.push(`($type($v) = "number" and $v = ${String(x)})`);
  }
  return `(${parts.join(' or ')})`;
}

/** Python `expected.lower() in str(v).lower()` for a present value; structured values yield a non-boolean (route_invalid). */
function containsExpected(expected: string): { expr: string; structuredFails: boolean } | null {
  const e = expected.toLowerCase();
  const parts = [`($type($v) = "string" and $contains($lowercase($v), ${lit(e)}))`];
  if ('true'.includes(e)) parts.push('($type($v) = "boolean" and $v = true)');
  if ('false'.includes(e)) parts.push('($type($v) = "boolean" and $v = false)');
  if (e === '') parts.push('$type($v) = "number"');
  else if (/^[0-9.e+-]+$/.test(e)) return null;
  if (e === '') return { expr: `(${parts.join(' or ')} or $type($v) = "object" or $type($v) = "array")`, structuredFails: false };
  const msg = lit('condition_untranslatable: llmctl compares the JSON text of an object or list here');
  return { expr: `(($type($v) = "object" or $type($v) = "array") ? ${msg} : (${parts.join(' or ')}))`, structuredFails: true };
}

const TRUTHY = `($type($v) = "boolean" ? $v : $type($v) = "string" ? ($lowercase($replace($v, /^\\s+|\\s+$/, "")) in ["1", "true", "yes", "on"]) : $type($v) = "number" ? $v != 0 : $type($v) = "array" ? $count($v) > 0 : $type($v) = "object" ? $count($keys($v)) > 0 : false)`;

/** Translates one condition text. */
export function translateCondition(conditionText: string, opts: TranslateOptions): Translation {
  const cleaned = String(conditionText ?? '').trim();
  if (!cleaned) return { ok: true, expression: 'false', notes: [{ code: 'decision_condition_empty', message: 'llmctl never matches an empty condition; the connector is only taken as a fallback.' }] };
  const never = (): Translation => ({ ok: true, expression: 'false', notes: [{ code: 'condition_constant_false', message: `"${cleaned}" reads a path that never exists in llmctl's decision context: always false.` }] });
  const eq = EQUALS_RE.exec(cleaned);
  const contains = eq ? null : CONTAINS_RE.exec(cleaned);
  if (eq || contains) {
    const path = classifyPath((eq ?? contains)![1]!, opts);
    if (path.kind === 'never') return never();
    if (path.kind === 'metadata') return { ok: false, reason: `"${cleaned}": ${path.why ?? `reads llmctl run metadata (${(eq ?? contains)![1]}) that has no equivalent here`}` };
    const expected = stripQuotes((eq ? eq[3] : contains![2])!);
    if (eq) {
      const test = equalsExpected(expected);
      if (test === null) return { ok: false, reason: `"${cleaned}" compares against ${JSON.stringify(expected)}, whose Python str() form cannot be matched exactly` };
      const body = eq[2] === '!=' ? `${PRESENT} and $not(${test})` : `${PRESENT} and ${test}`;
      return { ok: true, expression: `(${accessor(path.rest)}; ${body})`, notes: [] };
    }
    const c = containsExpected(expected);
    if (c === null) return { ok: false, reason: `"${cleaned}" looks for ${JSON.stringify(expected)} inside Python number forms, which cannot be reproduced exactly` };
    return {
      ok: true, expression: `(${accessor(path.rest)}; ${PRESENT} ? ${c.expr} : false)`,
      notes: c.structuredFails ? [{ code: 'condition_contains_structured_fails', message: `"${cleaned}": when the value is an object or a list the condition fails the run (route_invalid) instead of matching its JSON text.` }] : [],
    };
  }
  const path = classifyPath(cleaned, opts);
  if (path.kind === 'structured') return { ok: true, expression: `(${accessor(path.rest)}; ${PRESENT} ? ${TRUTHY} : false)`, notes: [] };
  if (path.kind === 'metadata' && /^[A-Za-z0-9_.]+$/.test(cleaned)) return { ok: false, reason: `"${cleaned}": ${path.why ?? 'reads llmctl run metadata that has no equivalent here'}` };
  const lower = cleaned.toLowerCase();
  if (ALWAYS_PRESENT.some((k) => k.includes(lower))) {
    return { ok: true, expression: 'true', notes: [{ code: 'condition_constant_true', message: `"${cleaned}" always occurs in llmctl's serialised decision context: always true.` }] };
  }
  return { ok: false, reason: `"${cleaned}" is matched by llmctl as a route key or as text anywhere in the serialised run context (ids, raw model output, metadata); rewrite it as "path == value"` };
}
