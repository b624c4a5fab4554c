import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../src/auth/rate-limiter.ts';
import { parseRateLimit } from '../src/config.ts';
import { startTestServer } from './support/test-server.ts';
import { connectRealtime } from './support/realtime.ts';

const A = 'tok-alpha-0123456789abcdef';
const B = 'tok-bravo-0123456789abcdef';

test('a burst over the limit of one token gets 429 rate_limited with Retry-After; another token keeps its own bucket', async () => {
  // A refill so slow that it cannot matter while the test runs: exactly `burst` requests pass.
  const s = await startTestServer({ config: { apiTokens: [A, B], rateLimit: { perSecond: 0.001, burst: 3 } } });
  try {
    const burst = await Promise.all(Array.from({ length: 8 }, () => s.request('GET', '/api/flowcharts', undefined, { authorization: `Bearer ${A}` })));
    const statuses = burst.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429, 429]);
    const limited = burst.find((r) => r.status === 429)!;
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.equal(limited.body.error.retryable, true);
    assert.equal(limited.body.error.details.burst, 3);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.ok(limited.headers.get('x-request-id'));
    assert.equal((await s.request('GET', '/api/flowcharts', undefined, { authorization: `Bearer ${B}` })).status, 200);
    // Health is never limited (probes).
    for (let i = 0; i < 5; i += 1) assert.equal((await s.request('GET', '/api/health')).status, 200);
    // The socket handshake of a limited token is refused the same way.
    await assert.rejects(connectRealtime(s.url, A), (err: Error & { data?: { code?: string } }) => err.data?.code === 'rate_limited');
  } finally {
    await s.close();
  }
});

test('an open API with a rate limit limits per client IP', async () => {
  const s = await startTestServer({ config: { rateLimit: { perSecond: 0.001, burst: 2 } } });
  try {
    const codes = [];
    for (let i = 0; i < 4; i += 1) codes.push((await s.request('GET', '/api/models')).status);
    assert.deepEqual(codes, [200, 200, 429, 429]);
  } finally {
    await s.close();
  }
});

test('token buckets refill at the configured rate and LLMCTL_RATE_LIMIT parses rate and burst', () => {
  let now = 0;
  const limiter = new RateLimiter({ perSecond: 2, burst: 2 }, () => now);
  assert.equal(limiter.take('k').ok, true);
  assert.equal(limiter.take('k').ok, true);
  assert.deepEqual(limiter.take('k'), { ok: false, retryAfterS: 1 });
  now += 500;
  assert.equal(limiter.take('k').ok, true);
  assert.equal(limiter.take('k').ok, false);
  assert.equal(limiter.take('other').ok, true);
  assert.deepEqual(parseRateLimit('X', '20'), { perSecond: 20, burst: 40 });
  assert.deepEqual(parseRateLimit('X', '5,7'), { perSecond: 5, burst: 7 });
  assert.equal(parseRateLimit('X', 'off'), null);
  assert.throws(() => parseRateLimit('X', 'fast'), /LLMCTL|X=/);
});
