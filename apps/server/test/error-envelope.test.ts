import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestResponse } from './support/test-server.ts';
import { startTestServer } from './support/test-server.ts';

function assertEnvelope(res: TestResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.ok, false);
  assert.equal(res.body.error.contract_version, 'v1');
  assert.equal(res.body.error.code, code);
  assert.equal(typeof res.body.error.message, 'string');
  assert.equal(typeof res.body.error.details, 'object');
  assert.equal(typeof res.body.error.retryable, 'boolean');
  assert.equal(res.body.error.request_id, res.headers.get('x-request-id'));
  assert.equal(res.body.correlation_id, res.headers.get('x-correlation-id'));
}

test('an unknown route is a 404 not_found envelope', async () => {
  const s = await startTestServer();
  try {
    assertEnvelope(await s.request('GET', '/api/does-not-exist'), 404, 'not_found');
    assertEnvelope(await s.request('PATCH', '/api/flowcharts', {}), 404, 'not_found');
    assertEnvelope(await s.request('POST', '/api/health', {}), 404, 'not_found');
  } finally {
    await s.close();
  }
});

test('broken JSON is a 400 validation_failed envelope', async () => {
  const s = await startTestServer();
  try {
    for (const body of ['{"name": ', '{name: 1}', 'nope', '{"a":1}}']) {
      assertEnvelope(await s.request('POST', '/api/flowcharts', body), 400, 'validation_failed');
    }
  } finally {
    await s.close();
  }
});

test('a body that is not JSON is a 415 unsupported_media_type envelope', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('POST', '/api/models', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assertEnvelope(res, 415, 'unsupported_media_type');
  } finally {
    await s.close();
  }
});

test('a 5 MB body is a 413 payload_too_large envelope and nothing is written', async () => {
  const s = await startTestServer();
  try {
    const big = JSON.stringify({ name: 'big', provider: 'scripted', settings: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    const res = await s.request('POST', '/api/models', big);
    assertEnvelope(res, 413, 'payload_too_large');
    assert.equal(res.body.error.details.limit_bytes, 1024 * 1024);
    assert.equal((await s.request('GET', '/api/models')).body.page.total, 0);
  } finally {
    await s.close();
  }
});

test('the body limit follows the configuration', async () => {
  const s = await startTestServer({ config: { bodyLimit: 2048 } });
  try {
    const res = await s.request('POST', '/api/flowcharts/validate', { pad: 'x'.repeat(4096) });
    assertEnvelope(res, 413, 'payload_too_large');
    assert.equal(res.body.error.details.limit_bytes, 2048);
  } finally {
    await s.close();
  }
});

test('an uncaught exception is a 500 internal envelope without a stack trace', async () => {
  const s = await startTestServer({
    extraRoutes: [async (app) => {
      app.get('/api/boom', async () => {
        throw new TypeError('secret internals at /srv/app.ts:12');
      });
    }],
  });
  try {
    const res = await s.request('GET', '/api/boom');
    assertEnvelope(res, 500, 'internal');
    assert.ok(!res.text.includes('secret internals'));
    assert.ok(!res.text.includes('.ts:'));
    assert.equal(res.body.error.retryable, true);
  } finally {
    await s.close();
  }
});

test('a bodiless DELETE with a JSON content type is accepted', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('DELETE', '/api/models/mdl_01aaaaaaaaaaaaaaaaaaaaaaaa', undefined, { 'content-type': 'application/json' });
    assertEnvelope(res, 404, 'not_found');
  } finally {
    await s.close();
  }
});
