import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../src/auth/tokens.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { connectRealtime, subscribe } from './support/realtime.ts';
import { openPolling } from './support/engine-io-polling.ts';

const TOKEN = 'tok-alpha-0123456789abcdef';
const OTHER = 'tok-bravo-0123456789abcdef';
const DB_TOKEN = 'tok-database-0123456789abcdef';
const auth = (t: string) => ({ authorization: `Bearer ${t}` });
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the OpenAPI document as `[METHOD, concrete path]` (path parameters filled in). */
async function operations(s: TestServer): Promise<[string, string][]> {
  const doc = (await s.request('GET', '/api/openapi.json', undefined, auth(TOKEN))).body;
  const ops: [string, string][] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const m of Object.keys(item)) if (METHODS.includes(m)) ops.push([m.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x1')]);
  }
  return ops;
}

test('bearer tokens', async (t) => {
  const s = await startTestServer({ config: { apiTokens: [TOKEN, OTHER], rateLimit: null } });
  try {
    await t.test('every documented route but GET /api/health answers 401 unauthorized without a valid token', async () => {
      const ops = await operations(s);
      assert.ok(ops.length >= 30, `only ${ops.length} operations documented`);
      assert.deepEqual(s.app.undocumentedRoutes, [], 'routes without a documented schema would escape this test');
      for (const [method, path] of ops) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        if (method === 'GET' && path === '/api/health') {
          const res = await s.request(method, path);
          assert.equal(res.status, 200);
          assert.equal(res.body.data.auth.enabled, true);
          continue;
        }
        for (const headers of [{}, auth('tok-wrong-0123456789abcdef'), { authorization: TOKEN }]) {
          const res = await s.request(method, path, body, headers);
          assert.equal(res.status, 401, `${method} ${path} with ${JSON.stringify(headers)}: ${res.status}`);
          assert.equal(res.body.error.code, 'unauthorized');
          assert.equal(res.body.error.contract_version, 'v1');
          assert.equal(res.headers.get('www-authenticate'), 'Bearer');
          assert.ok(res.headers.get('x-request-id'));
        }
      }
    });

    await t.test('every route refuses malformed, partial and misplaced credentials, and HEAD as well as the documented method', async () => {
      const ops = await operations(s);
      const wrong: [string, Record<string, string>][] = [
        ['', { authorization: 'Bearer' }], ['', { authorization: 'Bearer ' }], ['', { authorization: `Bearer ${TOKEN}x` }],
        ['', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }], ['', { authorization: `Bearer ${TOKEN} ${TOKEN}` }],
        ['', { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` }], ['', { 'x-api-key': TOKEN }],
        ['', { cookie: `token=${TOKEN}` }], [`?access_token=${TOKEN}&token=${TOKEN}`, {}],
      ];
      let checked = 0;
      for (const [method, path] of ops) {
        if (path === '/api/health') continue;
        for (const [query, headers] of wrong) {
          const res = await s.request(method, path + query, method === 'GET' || method === 'DELETE' ? undefined : {}, headers);
          assert.equal(res.status, 401, `${method} ${path}${query} with ${JSON.stringify(headers)}: ${res.status}`);
          assert.equal(res.body.error.code, 'unauthorized');
          checked += 1;
        }
        if (method === 'GET') {
          assert.equal((await s.request('HEAD', path)).status, 401, `HEAD ${path}`);
          checked += 1;
        }
      }
      assert.ok(checked > 300, `${checked} checks`);
      // The scheme is case-insensitive (RFC 7235): a lowercase "bearer" with the right token is accepted.
      assert.equal((await s.request('GET', '/api/flowcharts', undefined, { authorization: `bearer ${TOKEN}` })).status, 200);
    });

    await t.test('a socket client that ignores the refused handshake and emits every event anyway gets nothing and is dropped', async () => {
      const fc = await s.request('POST', '/api/flowcharts', { schema_version: 1, name: 'audited', nodes: [{ id: 's', type: 'start' }, { id: 'e', type: 'end' }], edges: [{ id: 'e1', source: 's', target: 'e' }] }, auth(TOKEN));
      const room = `flowchart:${fc.body.data.id}`;
      for (const handshake of ['40/rt,', '40/rt,{"token":"tok-wrong-0123456789abcdef"}', `40/rt,{"token":"${TOKEN}x"}`]) {
        const session = await openPolling(s.url);
        assert.equal(await session.send(handshake), 200);
        const refused = await session.poll();
        assert.equal(refused.packets.length, 1, JSON.stringify(refused.packets));
        assert.match(refused.packets[0]!, /^44\/rt,/, 'connect_error on /rt');
        assert.equal(JSON.parse(refused.packets[0]!.slice('44/rt,'.length)).data.code, 'unauthorized');
        // Every client event of the namespace (api.md: subscribe, unsubscribe), with and without an ack id.
        await session.send(`42/rt,["subscribe",{"rooms":["${room}"]}]`, `42/rt,7["subscribe",{"rooms":["${room}"],"after_sequence":0}]`, `42/rt,["unsubscribe",{"rooms":["${room}"]}]`);
        // A packet for a namespace the client never joined closes the whole connection: the session is gone.
        const after = await session.poll();
        assert.ok(after.status === 400 || after.packets.includes('1'), `session still open: ${after.status} ${JSON.stringify(after.packets)}`);
        assert.ok(!after.packets.some((p) => p.startsWith('42/rt,') || p.startsWith('43/rt,')), JSON.stringify(after.packets));
      }
      // The same packets with the token connect and are acknowledged (the audit's probe reaches the handlers).
      const session = await openPolling(s.url);
      await session.send(`40/rt,{"token":"${TOKEN}"}`);
      assert.match((await session.poll()).packets[0]!, /^40\/rt,/);
      await session.send(`42/rt,7["subscribe",{"rooms":["${room}"]}]`);
      const ack = await session.poll();
      assert.ok(ack.packets.some((p) => p.startsWith('43/rt,7[') && p.includes('"ok":true')), JSON.stringify(ack.packets));
    });

    await t.test('with a valid token the routes answer as usual; unknown API paths are 401 without and 404 with one', async () => {
      assert.equal((await s.request('GET', '/api/flowcharts', undefined, auth(TOKEN))).status, 200);
      assert.equal((await s.request('GET', '/api/models', undefined, auth(OTHER))).status, 200);
      assert.equal((await s.request('GET', '/api/nope')).status, 401);
      assert.equal((await s.request('GET', '/api/nope', undefined, auth(TOKEN))).status, 404);
      assert.equal((await s.request('GET', '/metrics')).status, 401);
      assert.equal((await s.request('GET', '/api/docs')).status, 401);
      // The studio's pages carry no data and stay reachable (the studio then asks for a token).
      assert.equal((await s.request('GET', '/')).status, 200);
    });

    await t.test('a socket handshake without a valid token is refused; with one it connects', async () => {
      for (const token of [undefined, 'tok-wrong-0123456789abcdef']) {
        await assert.rejects(connectRealtime(s.url, token), (err: Error & { data?: { code?: string } }) => {
          assert.equal(err.message, 'unauthorized');
          assert.equal(err.data?.code, 'unauthorized');
          return true;
        });
      }
      const socket = await connectRealtime(s.url, TOKEN);
      try {
        const fc = await s.request('POST', '/api/flowcharts', { schema_version: 1, name: 'authed', nodes: [{ id: 's', type: 'start' }, { id: 'e', type: 'end' }], edges: [{ id: 'e1', source: 's', target: 'e' }] }, auth(TOKEN));
        assert.equal(fc.status, 201);
        assert.equal((await subscribe(socket, { rooms: [`flowchart:${fc.body.data.id}`] })).ok, true);
      } finally {
        socket.close();
      }
    });

    await t.test('tokens stored as SHA-256 hashes in api_tokens are accepted', async () => {
      await s.db.pool.query('INSERT INTO api_tokens (id, name, token_hash) VALUES ($1, $2, $3)', ['tok_db1', 'ci', hashToken(DB_TOKEN)]);
      // The table is read on a miss (the server was started with env tokens, so auth is already on).
      assert.equal((await s.request('GET', '/api/flowcharts', undefined, auth(DB_TOKEN))).status, 200);
      const rows = await s.db.pool.query('SELECT token_hash FROM api_tokens');
      assert.ok(rows.rows.every((r: { token_hash: string }) => /^[0-9a-f]{64}$/.test(r.token_hash)));
    });
  } finally {
    await s.close();
  }
});

test('without tokens the API runs open and says so in /api/health', async () => {
  const s = await startTestServer();
  try {
    const health = await s.request('GET', '/api/health');
    assert.equal(health.body.data.auth.enabled, false);
    assert.equal((await s.request('GET', '/api/flowcharts')).status, 200);
    const socket = await connectRealtime(s.url);
    socket.close();
  } finally {
    await s.close();
  }
});
