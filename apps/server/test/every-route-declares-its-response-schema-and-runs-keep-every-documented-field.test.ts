import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { SCHEMAS } from '@llmctl/contracts';
import { responseSerializerCompiler } from '../src/openapi/response-serializer.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { finishedRun, seedSlowFlowchart, startRun } from './support/realtime.ts';

// shared/spec/api.md "Main shapes": the fields a run and a node run carry, in that order.
const SPEC_RUN_FIELDS = [
  'id', 'flowchart_id', 'flowchart_version', 'status', 'input', 'output', 'error', 'warnings', 'leftover_tokens', 'continued_from',
  'continued_to', 'parent_run_id', 'created_at', 'started_at', 'finished_at', 'node_runs',
];
const SPEC_NODE_RUN_FIELDS = [
  'id', 'node_id', 'node_type', 'iteration', 'status', 'outcome', 'fallback_used', 'degraded_reason', 'warnings', 'error', 'input_snapshot',
  'output', 'routing', 'attempts', 'idempotency_key', 'retry_of', 'rewound_from', 'started_at', 'finished_at', 'usage', 'executor',
];
const SPEC_ATTEMPT_FIELDS = ['n', 'started_at', 'finished_at', 'error'];

type Props = { properties: Record<string, { items?: Props }> };
const runProps = (SCHEMAS.run as Props).properties;
const nodeRunProps = (SCHEMAS['node-run'] as Props).properties;

test('response schemas', async (t) => {
  const s: TestServer = await startTestServer();
  try {
    await t.test('every API route the app registers declares a success and an error response schema', () => {
      const api = s.app.routeTable.filter((r) => r.method !== 'HEAD' && (r.url.startsWith('/api/') || r.url === '/metrics'));
      assert.ok(api.length > 40, `only ${api.length} routes seen`);
      const missing: string[] = [];
      for (const r of api) {
        if ((r.schema as { hide?: boolean } | undefined)?.hide === true) continue; // the interactive reference's own pages
        const response = (r.schema?.response ?? {}) as Record<string, unknown>;
        const codes = Object.keys(response);
        if (!codes.some((c) => /^2\d\d$/.test(c)) || !codes.includes('4xx') || !codes.includes('5xx')) missing.push(`${r.method} ${r.url}`);
      }
      assert.deepEqual(missing, []);
    });

    await t.test('the run and node-run schemas name every field api.md documents, and a served run has exactly those fields', async () => {
      for (const f of SPEC_RUN_FIELDS) assert.ok(runProps[f], `run schema lacks ${f}`);
      for (const f of SPEC_NODE_RUN_FIELDS) assert.ok(nodeRunProps[f], `node-run schema lacks ${f}`);
      for (const f of SPEC_ATTEMPT_FIELDS) assert.ok(nodeRunProps.attempts!.items!.properties[f], `attempt schema lacks ${f}`);

      const fc = await seedSlowFlowchart(s, { tasks: 2, delayMs: 1, name: 'fields' });
      const runId = await startRun(s, fc);
      await finishedRun(s, runId);
      const res = await s.request('GET', `/api/runs/${runId}`);
      assert.equal(res.status, 200);
      const run = res.body.data as Record<string, unknown>;
      // last_sequence is the one documented addition (the OpenAPI Run component) beyond the contract.
      const documentedRun = [...Object.keys(runProps), 'last_sequence'];
      for (const f of SPEC_RUN_FIELDS) assert.ok(f in run, `GET /api/runs/:id lost ${f}`);
      assert.deepEqual(Object.keys(run).filter((k) => !documentedRun.includes(k)), [], 'the run carries a field no schema documents');
      const nodeRuns = run.node_runs as Record<string, unknown>[];
      assert.ok(nodeRuns.length >= 2);
      for (const nr of nodeRuns) {
        for (const f of SPEC_NODE_RUN_FIELDS) assert.ok(f in nr, `node run lost ${f}`);
        assert.deepEqual(Object.keys(nr).filter((k) => !nodeRunProps[k]), [], 'a node run carries a field no schema documents');
        for (const a of nr.attempts as Record<string, unknown>[]) for (const f of SPEC_ATTEMPT_FIELDS) assert.ok(f in a, `attempt lost ${f}`);
      }
      const list = await s.request('GET', '/api/runs');
      const listed = (list.body.data as Record<string, unknown>[]).find((r) => r.id === runId)!;
      for (const f of SPEC_RUN_FIELDS.filter((f) => f !== 'node_runs')) assert.ok(f in listed, `GET /api/runs lost ${f}`);
    });
  } finally {
    await s.close();
  }
});

/** A tiny app serialising with the project's compiler: `{ a: string }` documented, the handler sends `value`. */
async function serialise(value: unknown, strict: '0' | '1'): Promise<{ status: number; body: any }> {
  const before = process.env.LLMCTL_STRICT_RESPONSES;
  process.env.LLMCTL_STRICT_RESPONSES = strict;
  const app = Fastify();
  try {
    app.setSerializerCompiler(responseSerializerCompiler([], () => undefined));
    app.get('/x', { schema: { response: { 200: { type: 'object', properties: { a: { type: 'string' }, n: { type: 'object' } } } } } }, async () => value);
    const r = await app.inject({ method: 'GET', url: '/x' });
    return { status: r.statusCode, body: r.json() };
  } finally {
    await app.close();
    if (before === undefined) delete process.env.LLMCTL_STRICT_RESPONSES;
    else process.env.LLMCTL_STRICT_RESPONSES = before;
  }
}

test('a field the response schema does not describe is still sent (object schemas are serialised open)', async () => {
  const r = await serialise({ a: 'x', extra: [1, { b: null }], n: { deep: true } }, '0');
  assert.deepEqual(r.body, { a: 'x', extra: [1, { b: null }], n: { deep: true } });
});

test('a null is sent as null even where the schema expects a string (never coerced to "")', async () => {
  const r = await serialise({ a: null, n: null }, '0');
  assert.deepEqual(r.body, { a: null, n: null });
});

test('a value of another type than its schema is sent as it is, and fails the request in strict mode naming the field', async () => {
  const lenient = await serialise({ a: 5, n: { k: [1] } }, '0');
  assert.deepEqual(lenient.body, { a: 5, n: { k: [1] } }, 'sent by JSON.stringify, not coerced to "5"');
  const strict = await serialise({ a: 5 }, '1');
  assert.equal(strict.status, 500);
  assert.match(JSON.stringify(strict.body), /GET \/x/);
});
