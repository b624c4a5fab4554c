import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../src/logger.ts';
import { startOpenAIStub } from '../../../packages/providers/test/stubs/index.ts';
import { collect, connectRealtime } from './support/realtime.ts';
import { startTestServer } from './support/test-server.ts';

const HEADER = 'Bearer planted-secret-header-0a1b2c3d4e5f-9f8e';
const TOKEN = 'planted-secret-token-6a7b8c9d0e1f-7d7d';
const PLAIN = ['planted-secret-header-0a1b2c3d4e5f', 'planted-secret-token-6a7b8c9d0e1f'];

function assertClean(where: string, text: string): void {
  for (const p of PLAIN) assert.ok(!text.includes(p), `${where} contains a planted secret: ${text.slice(Math.max(0, text.indexOf(p) - 200), text.indexOf(p) + 60)}`);
}

test('settings.headers values and credential-named settings are sealed at rest, masked in reads, events and logs, and still sent to the provider', async () => {
  const stub = await startOpenAIStub({ tokens: ['pong'] });
  const logs: string[] = [];
  const logger = createLogger('trace', new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
  const server = await startTestServer({ logger });
  const socket = await connectRealtime(server.url);
  const events = collect(socket);
  try {
    const created = await server.request('POST', '/api/models', {
      name: 'hdr', provider: 'openai_compatible', model: 'x', base_url: `${stub.url}/v1`,
      settings: { headers: { Authorization: HEADER, 'x-trace': 'not-a-secret-but-sealed' }, api_token: TOKEN, temperature: 0.1 },
    });
    assert.equal(created.status, 201, created.text);
    const m = created.body.data;
    assert.equal(m.settings.headers.Authorization, 'Bearer …9f8e');
    assert.equal(m.settings.api_token, 'pla…7d7d');
    assert.equal(m.settings.temperature, 0.1, 'other settings are kept as they are');
    const reads = [created.text, (await server.request('GET', `/api/models/${m.id}`)).text, (await server.request('GET', '/api/models')).text];
    // The studio writes back what it read: the masks keep the sealed values.
    const roundTrip = await server.request('PUT', `/api/models/${m.id}`, { settings: m.settings });
    reads.push(roundTrip.text);
    assert.equal(roundTrip.body.data.settings.headers.Authorization, 'Bearer …9f8e');
    const t = await server.request('POST', `/api/models/${m.id}/test`);
    assert.equal(t.body.data.ok, true, t.text);
    assert.equal(stub.requests[0]!.headers.authorization, HEADER, 'the provider receives the real header');
    assert.equal(stub.requests[0]!.headers['x-trace'], 'not-a-secret-but-sealed');
    // A new value replaces it.
    await server.request('PUT', `/api/models/${m.id}`, { settings: { ...m.settings, headers: { Authorization: 'Bearer rotated-value-12345678' } } });
    await server.request('POST', `/api/models/${m.id}/test`);
    assert.equal(stub.requests[1]!.headers.authorization, 'Bearer rotated-value-12345678');
    await server.request('PUT', `/api/models/${m.id}`, { settings: { headers: { Authorization: HEADER }, api_token: TOKEN } });
    await events.until((e) => e.filter((x) => x.event_type === 'config:model:updated').length >= 3);
    assert.ok(events.events.some((e) => e.event_type === 'config:model:created'));
    for (const r of reads) assertClean('a model response', r);
    assertClean('a socket event', JSON.stringify(events.events));
    assertClean('the models table', JSON.stringify((await server.db.pool.query('SELECT m::text AS row FROM models m')).rows));
    assert.ok(logs.length > 0);
    assertClean('the logs', logs.join('\n'));
  } finally {
    socket.close();
    await server.close();
    await stub.close();
  }
});

test('provider settings credentials (PUT /api/providers) are sealed and masked too, and still sent to the provider endpoint', async () => {
  const stub = await startOpenAIStub({ tokens: ['pong'] });
  const server = await startTestServer({ config: { allowedBaseUrls: ['127.0.0.1'] } });
  try {
    const put = await server.request('PUT', '/api/providers/openai_compatible', { base_url: `${stub.url}/v1`, settings: { headers: { 'x-org-token': TOKEN } } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.data.settings.headers['x-org-token'], 'pla…7d7d');
    const back = await server.request('PUT', '/api/providers/openai_compatible', { settings: put.body.data.settings });
    const m = await server.request('POST', '/api/models', { name: 'p', provider: 'openai_compatible', model: 'x' });
    assert.equal((await server.request('POST', `/api/models/${m.body.data.id}/test`)).body.data.ok, true);
    assert.equal(stub.requests[0]!.headers['x-org-token'], TOKEN);
    assertClean('a provider response', put.text + back.text + (await server.request('GET', '/api/providers')).text);
    assertClean('the provider_credentials table', JSON.stringify((await server.db.pool.query('SELECT p::text AS row FROM provider_credentials p')).rows));
  } finally {
    await server.close();
    await stub.close();
  }
});
