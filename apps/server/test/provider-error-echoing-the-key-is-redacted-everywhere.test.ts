import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startOpenAIStub } from '../../../packages/providers/test/stubs/index.ts';
import { createLogger } from '../src/logger.ts';
import { collect, connectRealtime, subscribe } from './support/realtime.ts';
import { assertNoSecret, dumpAllTables } from './support/secret-scan.ts';
import { startTestServer } from './support/test-server.ts';

const KEY = 'sk-echo-me-back-0123456789abcdefABCDEF-4e4e';

test('a provider that echoes the key in its 401/400 error text: the key reaches no run, node run, event, trace, /test answer, socket event, table or log', async () => {
  // The stub answers every call with an error whose text repeats the Authorization header it received.
  const stub = await startOpenAIStub((req, i) => ({
    status: i % 2 === 0 ? 401 : 400,
    error: { message: `Incorrect API key provided: ${String(req.headers.authorization).replace('Bearer ', '')}. Header was ${String(req.headers.authorization)}` },
  }));
  const logs: string[] = [];
  const logger = createLogger('trace', new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
  const server = await startTestServer({ logger, config: { allowedBaseUrls: ['127.0.0.1'] } });
  const socket = await connectRealtime(server.url);
  const seen: string[] = [];
  const get = async (method: string, path: string, body?: unknown) => {
    const r = await server.request(method, path, body);
    seen.push(`${method} ${path} → ${r.text}`);
    return r;
  };
  try {
    await get('PUT', '/api/providers/openai_compatible', { api_key: KEY });
    const m = await get('POST', '/api/models', { name: 'echo', provider: 'openai_compatible', model: 'x', base_url: `${stub.url}/v1` });
    const fc = await get('POST', '/api/flowcharts', {
      schema_version: 1, name: 'echo',
      nodes: [{ id: 's', type: 'start' }, { id: 'ask', type: 'task', retry: { max_attempts: 2, backoff_ms: 1 }, config: { model: 'echo', prompt: 'hi' } }, { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'ask' }, { id: 'e2', source: 'ask', target: 'z' }],
    });
    const started = await get('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: {} });
    const run = (await get('GET', `/api/runs/${started.body.data.id}?wait_s=30`)).body.data;
    assert.equal(run.status, 'failed');
    const node = run.node_runs.find((n: { node_id: string }) => n.node_id === 'ask');
    assert.ok(['provider_auth', 'provider_bad_request'].includes(node.error.code), node.error.code);
    assert.match(node.error.message, /\[redacted\]/, 'the error says what was removed');
    assert.ok(stub.requests.length >= 1 && stub.requests[0]!.headers.authorization === `Bearer ${KEY}`, 'the key was sent and echoed');
    const t = await get('POST', `/api/models/${m.body.data.id}/test`);
    assert.equal(t.body.data.ok, false);
    assert.ok(['provider_auth', 'provider_bad_request'].includes(t.body.data.error.code), t.text);
    const logged = (await get('GET', `/api/runs/${run.id}/events?after_sequence=0&limit=1000`)).body.data;
    await get('GET', `/api/runs/${run.id}/trace`);
    await get('GET', `/api/runs?per_page=100`);
    const events = collect(socket);
    assert.equal((await subscribe(socket, { rooms: [`run:${run.id}`], after_sequence: 0 })).ok, true);
    await events.until((e) => e.length >= logged.length);
    assertNoSecret('an API response', seen.join('\n'), [KEY]);
    assertNoSecret('a socket event', JSON.stringify(events.events), [KEY]);
    assertNoSecret('a table', await dumpAllTables(server.db.pool), [KEY]);
    assertNoSecret('the logs', logs.join(''), [KEY]);
  } finally {
    socket.close();
    await server.close();
    await stub.close();
  }
});
