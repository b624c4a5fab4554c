import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../src/auth/tokens.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { connectRealtime, subscribe } from './support/realtime.ts';

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
