/**
 * POST /api/node-tests ("Test this node"): one node, sent inline with unsaved edits, runs once on a sample through the
 * runtime's node executor and reports the rendered prompt, raw response, parsed output, repairs, usage and routing —
 * and nothing is written to the database. Failures are the node's coded error with a message for people.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Inside a describe: its hooks run before the root hook that stops a private test cluster.
describe('POST /api/node-tests', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    const model = (name: string, responses: unknown[]) => server.request('POST', '/api/models', { name, provider: 'scripted', settings: { responses } });
    assert.equal((await model('classifier', [{ match: 'Classify', output: { label: 'bug: {{input.text}}' } }, { output: 'not json at all' }])).status, 201);
    assert.equal((await model('other', [{ output: { label: 'from other' } }])).status, 201);
    assert.equal((await model('down', [{ output: 'never', fail_times: 99, fail_code: 'provider_unavailable' }])).status, 201);
  });
  after(() => server.close());

  const schema = { type: 'object', required: ['label'], properties: { label: { type: 'string' } } };
  const task = (config: Record<string, unknown>) => ({ id: 'classify', type: 'task', config: { model: 'classifier', prompt: 'Classify: {{input.text}}', ...config } });
  const rows = async (table: string): Promise<number> => Number((await server.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

  test('a task runs once on the sample: rendered prompt, raw response, parsed output and usage, and no run is stored', async () => {
    const res = await server.request('POST', '/api/node-tests', { node: task({ system: 'You triage {{input.kind}} reports.', output_schema: schema }), sample: { input: { text: 'crash', kind: 'bug' } } });
    assert.equal(res.status, 200, res.text);
    const r = res.body.data;
    assert.deepEqual(r.rendered, { system: 'You triage bug reports.', prompt: 'Classify: crash' });
    assert.deepEqual(r.output, { label: 'bug: crash' });
    assert.equal(r.model, 'classifier');
    assert.equal(r.model_calls.length, 1);
    assert.equal(r.model_calls[0].status, 'succeeded');
    assert.equal(r.model_calls[0].response.text, '{"label":"bug: crash"}');
    assert.deepEqual(r.model_calls[0].parsed_output, { value: { label: 'bug: crash' } });
    assert.equal(r.usage.model_calls, 1);
    assert.equal(typeof r.latency_ms, 'number');
    assert.equal(r.routing.routing.routing_state, 'terminal');
    assert.equal(await rows('runs'), 0);
    assert.equal(await rows('model_calls'), 0);
  });

  test('the chosen model replaces the node\'s model for the test', async () => {
    const res = await server.request('POST', '/api/node-tests', { node: task({}), model: 'other', sample: { input: { text: 'x' } } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.data.model, 'other');
    assert.deepEqual(res.body.data.output, { text: '{"label":"from other"}' });
  });

  test('a model failure is the provider\'s coded error, written for people, with the failed call in details.test', async () => {
    const res = await server.request('POST', '/api/node-tests', { node: task({ model: 'down' }), sample: { input: { text: 'x' } } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.error.code, 'provider_unavailable');
    assert.match(res.body.error.message, /could not be reached/);
    assert.equal(res.body.error.details.cause.code, 'provider_unavailable');
    const calls = res.body.error.details.test.model_calls;
    assert.equal(calls.length, 1);
    assert.equal(calls[0].status, 'failed');
    assert.equal(res.body.error.details.test.rendered.prompt, 'Classify: x');
  });

  test('a template path the sample lacks is template_unresolved and nothing is sent to the model', async () => {
    const res = await server.request('POST', '/api/node-tests', { node: task({ prompt: 'Classify: {{input.txt}}' }), sample: { input: { text: 'x' } } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'template_unresolved');
    assert.match(res.body.error.message, /\{\{input\.txt\}\}.*sample has no input\.txt/);
    assert.deepEqual(res.body.error.details.test.model_calls, []);

    const unclosed = await server.request('POST', '/api/node-tests', { node: task({ prompt: 'Classify: {{input.text' }), sample: { input: { text: 'x' } } });
    assert.equal(unclosed.status, 422, unclosed.text);
    assert.equal(unclosed.body.error.code, 'template_unresolved');
    assert.equal(unclosed.body.error.details.field, 'prompt');
  });

  test('an answer that never matches the schema is output_invalid after the repairs, each call shown', async () => {
    const res = await server.request('POST', '/api/node-tests', { node: task({ prompt: 'Summarize {{input.text}}', output_schema: schema, max_repair_attempts: 1 }), sample: { input: { text: 'x' } } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'output_invalid');
    const calls = res.body.error.details.test.model_calls;
    assert.deepEqual(calls.map((c: { kind: string }) => c.kind), ['chat', 'repair']);
    assert.equal(calls[1].repair_attempt, 1);
    assert.ok(calls[0].parsed_output.problems.length > 0);
  });

  test('a deterministic decision evaluates its connectors\' conditions on the sample', async () => {
    const node = { id: 'route', type: 'decision' };
    const edges = [
      { id: 'to-bug', source: 'route', target: 'fix', condition: 'output.label = "bug"' },
      { id: 'to-other', source: 'route', target: 'reply', fallback: true },
    ];
    const res = await server.request('POST', '/api/node-tests', { node, edges, sample: { upstream: { classify: { label: 'bug' } } } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.data.output, { label: 'bug' });
    assert.deepEqual(res.body.data.routing.routing.matched_connector_ids, ['to-bug']);
    assert.deepEqual(res.body.data.model_calls, []);
  });

  test('a bad body is 400 validation_failed naming the field; a node breaking the save rules is flowchart_invalid; a node that changes stored state is refused', async () => {
    const noNode = await server.request('POST', '/api/node-tests', { sample: {} });
    assert.equal(noNode.status, 400);
    assert.equal(noNode.body.error.code, 'validation_failed');
    assert.equal(noNode.body.error.details.errors[0].path, 'node');
    const badUpstream = await server.request('POST', '/api/node-tests', { node: task({}), sample: { upstream: [1] } });
    assert.equal(badUpstream.body.error.details.errors[0].path, 'sample.upstream');
    const invalid = await server.request('POST', '/api/node-tests', { node: task({ max_repair_attempts: 'x' }), edges: [{ id: 'e', source: 'classify', target: 'x', condition: 'output.x =' }], sample: { input: { text: 'x' } } });
    assert.equal(invalid.status, 422, invalid.text);
    assert.equal(invalid.body.error.code, 'flowchart_invalid');
    assert.deepEqual(invalid.body.error.details.errors.map((e: { path: string }) => e.path), ['/nodes/1/config/max_repair_attempts', '/edges/0/condition']);
    const memory = await server.request('POST', '/api/node-tests', { node: { id: 'm', type: 'memory', config: { op: 'add', text: 'x' } } });
    assert.equal(memory.status, 422);
    assert.equal(memory.body.error.code, 'node_type_unsupported');
    assert.match(memory.body.error.message, /run the flowchart/);
  });
});
