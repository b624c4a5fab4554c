import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '@llmctl/server';
import { startTestServer } from './support/test-server.ts';

test('valid X-Request-ID and X-Correlation-ID are echoed in headers and the envelope', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('GET', '/api/health', undefined, { 'x-request-id': 'abc.DEF:1-2_3', 'x-correlation-id': 'corr-42' });
    assert.equal(res.headers.get('x-request-id'), 'abc.DEF:1-2_3');
    assert.equal(res.headers.get('x-correlation-id'), 'corr-42');
    assert.equal(res.body.request_id, 'abc.DEF:1-2_3');
    assert.equal(res.body.correlation_id, 'corr-42');
  } finally {
    await s.close();
  }
});

test('invalid ids are replaced by a generated request id, and the correlation id defaults to it', async () => {
  const s = await startTestServer();
  try {
    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon', '']) {
      const res = await s.request('GET', '/api/nope', undefined, { 'x-request-id': bad, 'x-correlation-id': bad });
      const rid = res.headers.get('x-request-id');
      assert.match(rid ?? '', /^req_[0-9a-z]{26}$/);
      assert.equal(res.headers.get('x-correlation-id'), rid);
      assert.equal(res.body.error.request_id, rid);
      assert.equal(res.body.correlation_id, rid);
    }
  } finally {
    await s.close();
  }
});

test('every request log line carries request_id and correlation_id, and authorization headers are redacted', async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const s = await startTestServer({ logger: createLogger('info', sink) });
  try {
    await s.request('GET', '/api/health', undefined, { 'x-request-id': 'log-req', 'x-correlation-id': 'log-corr', authorization: 'Bearer sekrit' });
    await s.request('POST', '/api/flowcharts', '{broken', { 'x-request-id': 'log-req2' });
    const mine = lines.filter((l) => l.request_id === 'log-req');
    // One concise line per API request (issue 19): it carries both ids.
    assert.equal(mine.length, 1, `one line per request, got ${JSON.stringify(mine)}`);
    assert.ok(mine.every((l) => l.correlation_id === 'log-corr'));
    assert.ok(lines.filter((l) => l.request_id === 'log-req2').every((l) => l.correlation_id === 'log-req2'));
    assert.ok(!JSON.stringify(lines).includes('sekrit'));
  } finally {
    await s.close();
  }
});
