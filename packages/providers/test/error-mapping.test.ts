import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlmctlError } from '@llmctl/contracts';
import { abortError, mapProviderError, retryAfterMs } from '../src/index.ts';

test('retryAfterMs reads retry-after-ms, retry-after seconds and HTTP dates', () => {
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '1500' })), 1500);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
  const now = Date.parse('2030-01-01T00:00:00Z');
  assert.equal(retryAfterMs({ 'Retry-After': 'Tue, 01 Jan 2030 00:00:30 GMT' }, undefined, now), 30_000);
  assert.equal(retryAfterMs(new Headers()), undefined);
});

test('mapProviderError maps statuses to stable codes and retryability', () => {
  const cases: [number, string, boolean][] = [
    [429, 'provider_rate_limited', true], [503, 'provider_unavailable', true], [408, 'provider_timeout', true],
    [401, 'provider_auth', false], [403, 'provider_auth', false], [400, 'provider_bad_request', false],
    [413, 'provider_context_length', false], [418, 'provider_error', false],
  ];
  for (const [status, code, retryable] of cases) {
    const err = mapProviderError(Object.assign(new Error('x'), { status }));
    assert.equal(err.code, code, `status ${status}`);
    assert.equal(err.retryable, retryable, `status ${status}`);
    assert.equal(err.details.status, status);
  }
});

test('mapProviderError recognises content filter and context length messages on a 400', () => {
  assert.equal(mapProviderError(Object.assign(new Error('prompt is too long: 250000 tokens'), { status: 400 })).code, 'provider_context_length');
  assert.equal(mapProviderError(Object.assign(new Error('flagged by our content_filter'), { status: 400 })).code, 'provider_content_filter');
});

test('mapProviderError maps network failures to provider_unavailable and passes LlmctlErrors through', () => {
  const net = mapProviderError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
  assert.equal(net.code, 'provider_unavailable');
  const own = new LlmctlError('provider_timeout', 'x');
  assert.equal(mapProviderError(own), own);
  assert.equal(mapProviderError('weird').code, 'provider_error');
});

test('abortError keeps an LlmctlError reason and otherwise is interrupted', () => {
  const reason = new LlmctlError('node_timeout', 't');
  assert.equal(abortError(reason), reason);
  const e = abortError(new DOMException('stop', 'AbortError'));
  assert.equal(e.code, 'interrupted');
  assert.equal(e.retryable, true);
});
