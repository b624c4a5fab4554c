/**
 * Property test: for generated upstream outputs, a translated condition evaluated by our runtime's condition
 * evaluator (JSONata, `@llmctl/runtime`) gives exactly what llmctl's evaluator (re-implemented in
 * src/legacy-decision.ts from services/tasks.py `_execute_flowchart_decision_node`) gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateCondition } from '@llmctl/runtime';
import {
  evaluateLegacyCondition, extractPathValue, legacyDecisionContext, legacyMatchedConnectors, translateCondition, translateRouteKey,
} from '../src/index.ts';

const IDS = { flowchartId: 9, decisionId: 3, upstreamId: 2 };
const KEYS = ['route_key', 'message', 'score', 'ok', 'items', 'meta', '0'];
const STRINGS = ['approve', 'reject', ' approve ', 'APPROVE now', 'urgent: yes', 'True', 'False', 'None', '1', '0', '1.5', '', 'yes', ' on ', 'off', 'ß-straße', 'null', '{"a": 1}', '[1, 2]'];
const NUMBERS = [0, 1, -1, 2, 1.5, 0.1, 0.30000000000000004, 1e-5, 1e16, 123456789, -0.25];

const scalar = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS), fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, scalar, fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 3 })),
})).v;
const output = fc.oneof(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 5 }), value);

const pathRest = fc.array(fc.constantFrom(...KEYS), { minLength: 0, maxLength: 2 });
const prefix = fc.constantFrom('latest_upstream.output_state.structured_output', 'upstream_nodes.0.output_state.structured_output', 'latest_upstream . output_state.structured_output', 'missing_root');
const expected = fc.oneof(fc.constantFrom(...STRINGS.filter((s) => s !== '' && !s.startsWith('{') && !s.startsWith('['))), fc.constantFrom('"approve"', "'True'", '1.5', '-1', '2', '0.1'));
const condition = fc.tuple(prefix, pathRest, fc.constantFrom('==', '!=', 'contains', 'CONTAINS', 'bare'), expected).map(([p, rest, op, e]) => {
  const path = [p, ...rest].join('.');
  return op === 'bare' ? path : op.toLowerCase() === 'contains' ? `${path} ${op} ${e}` : `${path} ${op} ${e}`;
});

async function ours(expr: string, out: unknown): Promise<unknown> {
  const scope = { output: out, input: {}, context: {}, upstream: { n2: out }, node: { id: 'n3', iteration: 1 } };
  let r = await evaluateCondition('c', expr, scope);
  // The 100 ms time box is wall-clock: on a loaded machine an evaluation may be cut (D1012); that is not a result.
  for (let i = 0; i < 5 && 'error' in r && r.error.code === 'D1012'; i++) r = await evaluateCondition('c', expr, scope);
  assert.ok(!('error' in r), `JSONata error for ${expr}: ${JSON.stringify(r)}`);
  return (r as { result: unknown }).result;
}

test('translated conditions give llmctl\'s result for every generated output (==, !=, contains, bare-path truthiness)', async () => {
  let compared = 0;
  await fc.assert(fc.asyncProperty(condition, output, async (text, out) => {
    const t = translateCondition(text, { structuredUpstream: true });
    if (!t.ok) return; // blocking condition_untranslatable: never silently wrong
    const legacy = evaluateLegacyCondition(text, legacyDecisionContext(out, IDS));
    const mine = await ours(t.expression, out);
    if (t.notes.some((n) => n.code === 'condition_contains_structured_fails')) {
      const m = /^(.*?)\s+contains\s+/i.exec(text)!;
      const v = extractPathValue(legacyDecisionContext(out, IDS), m[1]!);
      if (v !== null && typeof v === 'object') { assert.equal(typeof mine, 'string', 'structured values fail loudly (route_invalid)'); return; }
    }
    compared++;
    assert.equal(mine ?? false, legacy, `${text} on ${JSON.stringify(out)}`);
  }), { numRuns: 1500, seed: 16 });
  assert.ok(compared > 500, `only ${compared} comparisons`);
});

test('Python str() quirks: True/False/None, int and float forms, strip-free equality', async () => {
  const p = 'latest_upstream.output_state.structured_output';
  const cases: [string, unknown, boolean][] = [
    [`${p}.ok == True`, { ok: true }, true], [`${p}.ok == true`, { ok: true }, false], [`${p}.ok == None`, { ok: null }, false],
    [`${p}.ok != x`, {}, false], [`${p}.n == 1`, { n: 1 }, true], [`${p}.n == 1.0`, { n: 1 }, false], [`${p}.n == 0.1`, { n: 0.1 }, true],
    [`${p}.s == approve`, { s: ' approve' }, false], [`${p}.s contains APP`, { s: 'approve' }, true], [`${p}.ok`, { ok: 'yes' }, true],
    [`${p}.ok`, { ok: 'nope' }, false], [`${p}.ok`, { ok: [] }, false], [`${p}.ok`, { ok: {} }, false], [`${p}.ok`, { ok: 0 }, false], [`${p}.ok`, { ok: 2 }, true],
    [`${p}.items.1 == b`, { items: ['a', 'b'] }, true], [`${p}.items.b == x`, { items: ['a'] }, false],
  ];
  for (const [text, out, want] of cases) {
    const t = translateCondition(text, { structuredUpstream: true });
    assert.ok(t.ok, text);
    assert.equal(evaluateLegacyCondition(text, legacyDecisionContext(out, IDS)), want, `llmctl: ${text}`);
    assert.equal((await ours(t.expression, out)) ?? false, want, `ours: ${text}`);
  }
});

test('route-key decisions: the connector whose key equals str(route_key).strip() is the one taken', async () => {
  const keys = fc.constantFrom('approve', 'reject', 'True', 'False', '1', '0', '1.5', 'None');
  await fc.assert(fc.asyncProperty(keys, output, fc.constantFrom(null, 'latest_upstream.output_state.structured_output.meta.route_key'), async (key, out, routePath) => {
    const t = translateRouteKey(routePath, key, true);
    assert.ok(t.ok);
    const spec = { conditions: [], fallbackKey: null, routeFieldPath: routePath, solidEdges: [{ condition_key: key, target: 'n9' }] };
    const legacy = legacyMatchedConnectors(spec, legacyDecisionContext(out, IDS)).includes(key);
    assert.equal((await ours(t.expression, out)) ?? false, legacy, `${key} on ${JSON.stringify(out)} via ${routePath}`);
  }), { numRuns: 800, seed: 16 });
});
