import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, parseEnvelope, queryString, toApiError } from '../src/core/api-envelope.ts';

test('a success envelope yields data and page', () => {
  const r = parseEnvelope<number[]>(200, JSON.stringify({ ok: true, data: [1], page: { page: 1, per_page: 20, total: 1 }, request_id: 'rq' }), null);
  assert.deepEqual(r.data, [1]);
  assert.equal(r.page?.total, 1);
  assert.equal(r.requestId, 'rq');
});

test('an error envelope becomes an ApiError with code, message, request id and details', () => {
  const body = { ok: false, error: { code: 'flowchart_invalid', message: 'bad', request_id: 'req-1', details: { errors: [] }, retryable: false } };
  assert.throws(() => parseEnvelope(422, JSON.stringify(body), 'hdr'), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 'flowchart_invalid');
    assert.equal(e.message, 'bad');
    assert.equal(e.requestId, 'req-1');
    assert.equal(e.status, 422);
    assert.deepEqual(e.details, { errors: [] });
    return true;
  });
});

test('a non-JSON error body still yields an ApiError with the header request id', () => {
  assert.throws(() => parseEnvelope(502, '<html>Bad gateway</html>', 'hdr-9'), (e: unknown) => e instanceof ApiError && e.code === 'http_502' && e.requestId === 'hdr-9');
});

test('network failures become network_error', () => {
  assert.equal(toApiError(new TypeError('fetch failed')).code, 'network_error');
});

test('queryString skips empty parameters', () => {
  assert.equal(queryString({ q: '', page: 2, sort: undefined, provider: 'openai' }), '?page=2&provider=openai');
  assert.equal(queryString({}), '');
});
