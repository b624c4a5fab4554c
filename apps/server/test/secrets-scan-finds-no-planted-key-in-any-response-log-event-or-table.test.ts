/**
 * Secrets scan (issue 13 audit): distinct keys planted through every credential path — a stored provider key, stored
 * provider header credentials, a model's own key, model header and credential-named settings, and providers that
 * echo whatever they received in their error text — then every GET route of the OpenAPI document, the trace-level
 * logs, socket events, traces, /metrics and every database table dumped as text are searched for them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startOpenAIStub, type RecordedRequest } from '../../../packages/providers/test/stubs/index.ts';
import { createLogger } from '../src/logger.ts';
import { collect, connectRealtime, subscribe } from './support/realtime.ts';
import { assertNoSecret, dumpAllTables } from './support/secret-scan.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const SECRETS = {
  providerKey: 'sk-scan-provider-key-A1B2C3D4E5F6G7H8-1111',
  providerHeader: 'scan-provider-header-I9J8K7L6M5N4-2222',
  anthropicKey: 'sk-ant-scan-unused-key-O3P2Q1R0S9T8-3333',
  modelKey: 'scan-model-own-key-U7V6W5X4Y3Z2-4444',
  modelHeader: 'Bearer scan-model-header-a1b2c3d4e5f6-5555',
  modelField: 'scan-model-field-g7h8i9j0k1l2-6666',
};
const ALL = Object.values(SECRETS);

/** Every credential the request carried, echoed back in a 401 error message. */
const echoAll = (req: RecordedRequest) => ({
  status: 401,
  error: { message: `rejected: ${Object.entries(req.headers).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` },
});

function flowchart(name: string, model: string) {
  return {
    schema_version: 1, name,
    nodes: [{ id: 's', type: 'start' }, { id: 'ask', type: 'task', retry: { max_attempts: 1 }, config: { model, prompt: 'hi' } }, { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'ask' }, { id: 'e2', source: 'ask', target: 'z' }],
  };
}

/** The GET routes of the OpenAPI document with their path parameters filled from `ids`. */
async function getRoutes(server: TestServer, ids: Record<string, string[]>): Promise<string[]> {
  const doc = (await server.request('GET', '/api/openapi.json')).body;
  const paths: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    if (!ops.get) continue;
    const base = path.replace(/:(\w+)/g, '{$1}');
    const prefix = base.split('/{')[0]!;
    const choices = ids[prefix] ?? ['x'];
    for (const id of base.includes('{') ? choices : ['']) {
      let p = base.replace(/\{[^}]+\}/g, id);
      if (p.endsWith('/search')) p += '?q=key';
      if (p.endsWith('/events')) p += '?after_sequence=0&limit=1000';
      paths.push(p);
    }
  }
  return paths;
}

test('no planted credential appears in any GET response, log line, socket event, trace, metric or table', async () => {
  const stored = await startOpenAIStub(echoAll);
  const own = await startOpenAIStub(echoAll);
  const good = await startOpenAIStub({ tokens: ['pong'] });
  const logs: string[] = [];
  const logger = createLogger('trace', new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
  const server = await startTestServer({ logger });
  const socket = await connectRealtime(server.url);
  const events = collect(socket);
  const texts: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await server.request(method, path, body);
    texts.push(`${method} ${path} ${r.status}: ${r.text}`);
    return r;
  };
  try {
    await call('PUT', '/api/providers/openai_compatible', { api_key: SECRETS.providerKey, base_url: `${stored.url}/v1`, settings: { headers: { 'x-org-secret': SECRETS.providerHeader } } });
    await call('PUT', '/api/providers/anthropic', { api_key: SECRETS.anthropicKey });
    const models = [
      (await call('POST', '/api/models', { name: 'via-stored', provider: 'openai_compatible', model: 'x' })).body.data,
      (await call('POST', '/api/models', { name: 'via-own', provider: 'openai_compatible', model: 'x', base_url: `${own.url}/v1`, api_key: SECRETS.modelKey, settings: { headers: { Authorization: SECRETS.modelHeader }, secret_field: SECRETS.modelField } })).body.data,
      (await call('POST', '/api/models', { name: 'good', provider: 'openai_compatible', model: 'x', base_url: `${good.url}/v1`, api_key: SECRETS.modelKey, settings: { headers: { 'x-api-key': SECRETS.modelField } } })).body.data,
    ];
    assert.equal(models.filter(Boolean).length, 3, texts.join('\n'));
    const runs: { id: string; status: string }[] = [];
    const flowcharts: string[] = [];
    for (const m of models) {
      const fc = await call('POST', '/api/flowcharts', flowchart(`scan-${m.name}`, m.name));
      flowcharts.push(fc.body.data.id);
      const started = await call('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: {} });
      runs.push((await call('GET', `/api/runs/${started.body.data.id}?wait_s=30`)).body.data);
      await call('POST', `/api/models/${m.id}/test`);
    }
    assert.deepEqual(runs.map((r) => r.status), ['failed', 'failed', 'succeeded']);
    // The echoing providers really received (and echoed) the credentials.
    assert.equal(stored.requests[0]!.headers.authorization, `Bearer ${SECRETS.providerKey}`);
    assert.equal(stored.requests[0]!.headers['x-org-secret'], SECRETS.providerHeader);
    assert.equal(own.requests[0]!.headers.authorization, SECRETS.modelHeader, 'the model header wins over its key');
    assert.equal(good.requests[0]!.headers['x-api-key'], SECRETS.modelField);

    for (const run of runs) {
      const logged = (await server.request('GET', `/api/runs/${run.id}/events?after_sequence=0&limit=1000`)).body.data;
      const before = events.events.length;
      assert.equal((await subscribe(socket, { rooms: [`run:${run.id}`], after_sequence: 0 })).ok, true);
      await events.until((e) => e.length >= before + logged.length);
    }
    const paths = await getRoutes(server, {
      '/api/flowcharts': flowcharts, '/api/models': models.map((m) => m.id), '/api/runs': runs.map((r) => r.id),
      '/api/contracts': ['flowchart-v1', 'x'],
    });
    assert.ok(paths.length >= 20, `GET routes enumerated: ${paths.join(' ')}`);
    for (const p of paths) await call('GET', p);
    const metrics = await server.request('GET', '/metrics');
    assert.equal(metrics.status, 200);

    assertNoSecret('an API response', texts.join('\n'), ALL);
    assertNoSecret('/metrics', metrics.text, ALL);
    assertNoSecret('a socket event', JSON.stringify(events.events), ALL);
    assert.ok(logs.length > 50, 'trace-level logs were captured');
    assertNoSecret('the logs', logs.join(''), ALL);
    assertNoSecret('a database table', await dumpAllTables(server.db.pool), ALL);
  } finally {
    socket.close();
    await server.close();
    await Promise.all([stored.close(), own.close(), good.close()]);
  }
});
