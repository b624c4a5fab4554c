import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContractsAjv, schemaId, validateAgainst } from '../src/index.ts';
import { routing } from './samples.ts';

const valid = (name: string, value: unknown) => assert.deepEqual(validateAgainst(name, value), { valid: true, errors: [] }, name);
const invalid = (name: string, value: unknown) => assert.equal(validateAgainst(name, value).valid, false, JSON.stringify(value));

const artifact = {
  id: 'a1', run_id: 'r1', node_run_id: 'nr_1', kind: 'report', name: 'summary.md', version: 1,
  content: '# Summary', media_type: 'text/markdown', created_at: '2025-01-01T00:00:00.000Z',
};

const toolResult = {
  status: 'success', output: { lines: 3 }, fallback_used: false, warnings: [],
  idempotency_key: 'run:r1:node:t:iter:1:tool:0', artifacts: [{ kind: 'file', name: 'out.txt', media_type: 'text/plain', content: 'hi' }],
};

test('node-output accepts any JSON value', () => {
  for (const v of [{ category: 'bug' }, [1, 2], 'text', 3, null, true]) valid('node-output', v);
});

test('node-output defines the { text } shape of a task without output_schema', () => {
  const text = getContractsAjv().getSchema(`${schemaId('node-output')}#/$defs/text_output`);
  assert.ok(text);
  assert.equal(text({ text: 'the answer' }), true);
  assert.equal(text({ text: 1 }), false);
  assert.equal(text({ text: 'a', usage: {} }), false);
});

test('an artifact with inline content validates', () => valid('artifact', artifact));

test('an artifact with a uri instead of content validates', () => {
  const { content: _c, ...rest } = artifact;
  valid('artifact', { ...rest, uri: 'https://files.example/a1' });
});

test('an artifact needs content or uri', () => {
  const { content: _c, ...rest } = artifact;
  invalid('artifact', rest);
});

test('an artifact may not carry both content and uri', () => invalid('artifact', { ...artifact, uri: 'https://x.example/a' }));
test('an artifact version is a positive integer', () => invalid('artifact', { ...artifact, version: 0 }));
test('an artifact media type looks like type/subtype', () => invalid('artifact', { ...artifact, media_type: 'markdown' }));

test('a successful tool result validates', () => valid('tool-result', toolResult));

test('a failed tool result with its error validates', () => {
  valid('tool-result', {
    ...toolResult, status: 'failed', output: null, artifacts: [],
    error: { code: 'tool_failed', message: 'exit 1', details: { exit_code: 1 }, retryable: false },
  });
});

test('a failed tool result needs an error', () => invalid('tool-result', { ...toolResult, status: 'failed' }));
test('a degraded tool result validates', () =>
  valid('tool-result', { ...toolResult, status: 'success_with_warning', fallback_used: true, warnings: [{ code: 'fallback', message: 'cached' }] }));
test('tool result status must be known', () => invalid('tool-result', { ...toolResult, status: 'ok' }));
test('tool result artifacts need content or uri', () => invalid('tool-result', { ...toolResult, artifacts: [{ kind: 'file', name: 'x' }] }));

test('a memory add output validates', () => valid('memory-output', { op: 'add', memory: { id: 'm1', text: 'likes tea', scope: 'flowchart' } }));
test('a memory retrieve output validates', () =>
  valid('memory-output', { op: 'retrieve', memories: [{ id: 'm1', text: 'likes tea', scope: 'flowchart', score: 0.9 }], count: 1 }));
test('a memory add output needs its memory', () => invalid('memory-output', { op: 'add', memories: [], count: 0 }));
test('a memory retrieve output needs memories and count', () => invalid('memory-output', { op: 'retrieve', memories: [] }));
test('a memory op must be add or retrieve', () => invalid('memory-output', { op: 'forget', memories: [], count: 0 }));

test('a plan output validates', () =>
  valid('plan-output', { plan_key: 'p1', items: [{ key: 'a', title: 'A', status: 'done' }], completed_item: { key: 'a', title: 'A', status: 'done' } }));
test('a plan output without completed_item validates', () => valid('plan-output', { plan_key: 'p1', items: [] }));
test('plan items need key, title and status', () => invalid('plan-output', { plan_key: 'p1', items: [{ key: 'a' }] }));

test('a milestone output validates', () =>
  valid('milestone-output', { milestone_key: 'm1', title: 'Launch', status: 'completed', terminated: true }));
test('a milestone output needs terminated', () => invalid('milestone-output', { milestone_key: 'm1', title: 'Launch', status: 'completed' }));

test('a decision output is the routing record plus value', () => valid('decision-output', { ...routing, value: { category: 'bug' } }));
test('a decision output needs value', () => invalid('decision-output', routing));
test('a decision output with a null value validates', () => valid('decision-output', { ...routing, value: null }));

test('a rag output validates', () =>
  valid('rag-output', { collection: 'docs', query: 'tea', results: [{ chunk_id: 'c1', document_id: 'd1', text: 'Tea...', score: 0.7 }] }));
test('rag results need a score', () =>
  invalid('rag-output', { collection: 'docs', query: 'tea', results: [{ chunk_id: 'c1', document_id: 'd1', text: 'Tea...' }] }));
