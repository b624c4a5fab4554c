import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startTestServer, type TestServer } from './support/test-server.ts';

interface SpanNode { kind: string; name: string; started_at: string | null; finished_at: string | null; status: string; children: SpanNode[]; parent_span_id: string | null; span_id: string }

const FLOW = {
  schema_version: 1, name: 'traced',
  nodes: [
    { id: 's', type: 'start' },
    { id: 'agent', type: 'task', config: { model: 'tm', prompt: 'agent: remember this', tools: ['memory'] } },
    { id: 'flaky', type: 'task', retry: { max_attempts: 2, backoff_ms: 1 }, config: { model: 'tm', prompt: 'flaky: go' } },
    { id: 'z', type: 'end' },
  ],
  edges: [{ id: 'e1', source: 's', target: 'agent' }, { id: 'e2', source: 's', target: 'flaky' }, { id: 'e3', source: 'agent', target: 'z' }, { id: 'e4', source: 'flaky', target: 'z' }],
};
const MODEL = {
  name: 'tm', provider: 'scripted', model: 'scripted',
  settings: { responses: [
    { match: 'agent:', tool_calls: [{ name: 'memory', arguments: { op: 'add', text: 'the sky is green' } }], output: 'noted' },
    { match: 'flaky:', output: 'ok', fail_times: 1 },
  ] },
};

async function runTraced(server: TestServer): Promise<string> {
  assert.equal((await server.request('POST', '/api/models', MODEL)).status, 201);
  const fc = await server.request('POST', '/api/flowcharts', FLOW);
  assert.equal(fc.status, 201, fc.text);
  const run = await server.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: {} });
  const done = await server.request('GET', `/api/runs/${run.body.data.id}?wait_s=30`);
  assert.equal(done.body.data.status, 'succeeded', JSON.stringify(done.body.data.error));
  return run.body.data.id;
}

function walk(s: SpanNode, out: SpanNode[] = []): SpanNode[] {
  out.push(s);
  for (const c of s.children) walk(c, out);
  return out;
}

test('the trace of a run with a fan-out, a tool call and a retry nests run → node runs → attempts → model and tool calls with nested timings', async () => {
  const server = await startTestServer();
  try {
    const runId = await runTraced(server);
    const trace = (await server.request('GET', `/api/runs/${runId}/trace`)).body.data as SpanNode;
    assert.equal(trace.kind, 'run');
    assert.deepEqual(trace.children.map((c) => c.kind), ['node_run', 'node_run', 'node_run', 'node_run']);
    const flaky = trace.children.find((c) => c.name.includes('flaky'))!;
    assert.deepEqual(flaky.children.map((c) => [c.kind, c.status]), [['attempt', 'failed'], ['attempt', 'succeeded']]);
    assert.deepEqual(flaky.children.map((a) => a.children.map((m) => m.kind)), [['model_call'], ['model_call']]);
    const agent = trace.children.find((c) => c.name.includes('agent'))!;
    const kinds = agent.children[0]!.children.map((c) => c.kind).sort();
    assert.deepEqual(kinds, ['model_call', 'model_call', 'tool_call']);
    for (const parent of walk(trace)) {
      for (const child of parent.children) {
        assert.equal(child.parent_span_id, parent.span_id);
        if (!child.started_at || !parent.started_at) continue;
        assert.ok(Date.parse(child.started_at) >= Date.parse(parent.started_at), `${child.name} starts before ${parent.name}`);
        if (child.finished_at && parent.finished_at) assert.ok(Date.parse(child.finished_at) <= Date.parse(parent.finished_at), `${child.name} ends after ${parent.name}`);
      }
    }
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /llmctl_runs_finished_total\{status="succeeded"\} 1/);
    assert.match(metrics, /llmctl_node_run_duration_seconds_count\{[^}]*status="succeeded"[^}]*\} [1-9]/);
    assert.match(metrics, /llmctl_provider_call_errors_total\{provider="scripted",code="provider_unavailable"\} 1/);
    assert.match(metrics, /llmctl_node_runs_queued 0/);
  } finally {
    await server.close();
  }
});

test('with OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set, finished runs are exported to the OTLP collector', async () => {
  const bodies: { contentType: string; body: Buffer }[] = [];
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      bodies.push({ contentType: String(req.headers['content-type']), body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  const port = (collector.address() as { port: number }).port;
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${port}/v1/traces`;
  const server = await startTestServer();
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  try {
    await runTraced(server);
    for (let i = 0; i < 200 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(bodies.length > 0, 'the collector received nothing');
    const text = bodies.map((b) => b.body.toString('utf8')).join('\n');
    for (const name of ['task agent #1', 'task flaky #1', 'attempt 1', 'chat tm', 'tool memory']) assert.ok(text.includes(name), `span ${name} was not exported`);
  } finally {
    await server.close();
    await new Promise((r) => collector.close(r));
  }
});

test('logs are structured JSON carrying the run, node run, request and correlation ids of the request that started the run', async () => {
  const { Writable } = await import('node:stream');
  const pino = (await import('pino')).default;
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _e, cb) { lines.push(JSON.parse(String(chunk))); cb(); } }));
  const server = await startTestServer({ logger });
  try {
    assert.equal((await server.request('POST', '/api/models', MODEL)).status, 201);
    const fc = await server.request('POST', '/api/flowcharts', FLOW);
    const run = await server.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: {} }, { 'x-correlation-id': 'corr-logs-1', 'x-request-id': 'req-logs-1' });
    await server.request('GET', `/api/runs/${run.body.data.id}?wait_s=30`);
    const runLines = lines.filter((l) => l.run_id === run.body.data.id);
    const status = runLines.find((l) => l.kind === 'run.status' && l.status === 'succeeded');
    assert.ok(status, 'the run status change is logged');
    assert.equal(status!.correlation_id, 'corr-logs-1');
    const nodeLine = runLines.find((l) => l.kind === 'node.succeeded' && l.node_id === 'flaky');
    assert.ok(nodeLine && typeof nodeLine.node_run_id === 'string' && String(nodeLine.node_run_id).startsWith('nr_'));
    const req = lines.find((l) => l.request_id === 'req-logs-1');
    assert.ok(req, 'request logs carry the request id');
  } finally {
    await server.close();
  }
});
