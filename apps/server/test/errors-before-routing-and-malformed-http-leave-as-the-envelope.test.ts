import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isErrorCode } from '@llmctl/contracts';
import { assertErrorEnvelope, envelopeProblem } from './support/envelope.ts';
import { parseRawResponse, rawExchange } from './support/raw-http.ts';
import { clientErrorResponse } from '../src/client-error.ts';
import { startTestServer } from './support/test-server.ts';

// Issue 13, defect 12: these came back in Fastify's or Node's own bodies ({"error":"Bad Request",…}).

test('a malformed percent-encoding in the path is 400 validation_failed in the envelope', async () => {
  const s = await startTestServer();
  try {
    for (const path of ['/api/%', '/api/flowcharts/%E0%A4%A', '/api/flowcharts/%ED%A0%80']) {
      const res = await s.request('GET', path, undefined, { 'x-correlation-id': 'corr-1' });
      assertErrorEnvelope(res, 400, 'validation_failed');
      assert.equal(res.body.correlation_id, 'corr-1');
    }
  } finally {
    await s.close();
  }
});

test('an id longer than the router accepts is 404 not_found in the envelope', async () => {
  const s = await startTestServer();
  try {
    for (const [method, path] of [['GET', `/api/flowcharts/${'a'.repeat(5000)}`], ['DELETE', `/api/models/${'m'.repeat(1001)}`], ['GET', `/api/runs/${'r'.repeat(3000)}/events`]] as const) {
      assertErrorEnvelope(await s.request(method, path), 404, 'not_found');
    }
    // Up to the limit the handler answers (a malformed id is 404 too).
    assertErrorEnvelope(await s.request('GET', `/api/flowcharts/${'a'.repeat(900)}`), 404, 'not_found');
  } finally {
    await s.close();
  }
});

test('requests the HTTP parser refuses get a raw 400 or 431 whose body is the envelope', async () => {
  const s = await startTestServer();
  try {
    const cases: [string, number, string][] = [
      ['GARBAGE\r\n\r\n', 400, 'validation_failed'],
      ['GET /api/health HTTP/1.1\r\nHost: x\r\nX-N: a\u0000b\r\n\r\n', 400, 'validation_failed'],
      ['GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 400, 'validation_failed'],
      ['GET /api/health HTTP/9.9\r\n\r\n', 400, 'validation_failed'],
      // Node's own answer to a missing Host is a bodiless 400; the app answers it in the envelope.
      ['GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'validation_failed'],
      [`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
    ];
    for (const [request, status, code] of cases) {
      const res = parseRawResponse(await rawExchange(s.url, request));
      assert.ok(res, `no HTTP response to ${JSON.stringify(request.slice(0, 60))}`);
      assert.equal(res.status, status, res.raw.slice(0, 300));
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      assert.equal(res.headers.connection, 'close');
      const body = JSON.parse(res.body);
      assert.equal(envelopeProblem(res.status, body), undefined, res.body);
      assert.equal(body.error.code, code);
      assert.ok(isErrorCode(code));
      assert.equal(body.error.request_id, res.headers['x-request-id']);
    }
    // The server still answers normally afterwards.
    assert.equal((await s.request('GET', '/api/health')).status, 200);
  } finally {
    await s.close();
  }
});

test('a request timeout from the HTTP server is a raw 408 request_timeout envelope', () => {
  // Node reports it as a clientError with ERR_HTTP_REQUEST_TIMEOUT once requestTimeout passes (300 s by default, so
  // the response is checked directly rather than waited for).
  const res = parseRawResponse(clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT', 'req_timeout1'));
  assert.ok(res);
  assert.equal(res.status, 408);
  assert.equal(res.headers.connection, 'close');
  const body = JSON.parse(res.body);
  assert.equal(envelopeProblem(408, body), undefined);
  assert.equal(body.error.code, 'request_timeout');
  assert.equal(body.error.retryable, true);
  assert.equal(body.error.request_id, 'req_timeout1');
  assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body));
});
