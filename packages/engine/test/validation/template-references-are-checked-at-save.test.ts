import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlowchart } from '../../src/validation/index.ts';
import { edge, flow, node, task } from './fixtures.ts';

/** start → a → b → end, plus a context connector ctx: a → b; b's prompt is `prompt`. */
function withPrompt(prompt: string, extra: Record<string, unknown> = {}) {
  return flow(
    [node('start', 'start'), task('a'), task('b', { config: { model: 'm', prompt, ...extra } }), node('end', 'end')],
    [edge('c1', 'start', 'a'), edge('c2', 'a', 'b'), edge('c3', 'b', 'end'), edge('ctx', 'start', 'b', { mode: 'context' })],
  );
}

const warnings = (prompt: string, extra?: Record<string, unknown>) =>
  validateFlowchart(withPrompt(prompt, extra)).warnings.map((w) => [w.code, w.node_id, w.path]);

test('references to connected upstream and context sources, input, node and run are fine', () => {
  const r = validateFlowchart(withPrompt('{{input.text}} {{upstream.a.text}} {{ context.start.x }} {{node.iteration}} {{run.id}}'));
  assert.equal(r.valid, true);
  assert.deepEqual(r.warnings, []);
});

test('upstream.<id> without a trigger connector from <id> is a warning on the node', () => {
  assert.deepEqual(warnings('Use {{upstream.nonexistent.x}}'), [['template_upstream_unknown', 'b', '/nodes/2/config/prompt']]);
  // A node that exists but is not connected by a trigger connector.
  const [w] = validateFlowchart(withPrompt('{{upstream.start.x}}')).warnings;
  assert.equal(w?.code, 'template_upstream_unknown');
  assert.match(w?.message ?? '', /no trigger connector from "start" enters this node/);
});

test('context.<name> with no context connector is a warning', () => {
  const [w, more] = validateFlowchart(withPrompt('{{context.a.text}}')).warnings;
  assert.equal(w?.code, 'template_context_unknown');
  assert.match(w?.message ?? '', /no context connector from "a"/);
  assert.equal(more, undefined);
});

test('an unclosed {{ and an unknown root are warnings; template JSON values are checked leaf by leaf', () => {
  assert.deepEqual(warnings('Hello {{input.name'), [['template_unclosed', 'b', '/nodes/2/config/prompt']]);
  assert.deepEqual(warnings('{{inptu.text}}'), [['template_root_unknown', 'b', '/nodes/2/config/prompt']]);
  const doc = withPrompt('ok');
  doc.nodes[3] = node('end', 'end', { config: { output: { answer: '{{upstream.zz.text}}' } } });
  assert.deepEqual(validateFlowchart(doc).warnings.map((w) => [w.code, w.path]), [['template_upstream_unknown', '/nodes/3/config/output/answer']]);
});

test('every problem in one pass: template warnings come with schema and graph errors', () => {
  const doc = withPrompt('{{upstream.ghost.x}}');
  doc.nodes[1] = task('a', { config: { model: '', prompt: 'x' } });
  doc.edges.push(edge('c9', 'b', 'nowhere'));
  const r = validateFlowchart(doc);
  assert.deepEqual(r.errors.map((e) => e.code), ['schema_invalid', 'edge_dangling']);
  assert.deepEqual(r.warnings.map((w) => w.code), ['template_upstream_unknown']);
});
