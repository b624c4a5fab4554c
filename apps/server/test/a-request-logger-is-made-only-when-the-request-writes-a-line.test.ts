/**
 * Fastify asks for a child logger per request; the server makes the pino child only when the request writes a line at
 * an enabled level (lazy-logger.ts), with exactly the bindings it asked for. The request line itself goes through the
 * app's logger with the same request_id and correlation_id (request-ids.test.ts holds every line to them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { LazyChildLogger } from '../src/lazy-logger.ts';
import { createLogger } from '../src/logger.ts';
import { startTestServer } from './support/test-server.ts';

test('the child is made on the first line at an enabled level, with the requested bindings', () => {
  const lines: Record<string, unknown>[] = [];
  const parent = pino({ level: 'warn' }, new Writable({ write(chunk, _e, cb) { lines.push(JSON.parse(String(chunk))); cb(); } }));
  let made = 0;
  const lazy = new LazyChildLogger(parent, () => (made++, parent.child({ request_id: 'r1', correlation_id: 'c1' }) as FastifyBaseLogger));
  lazy.info('not written');
  lazy.debug({ a: 1 }, 'not written');
  assert.equal(made, 0, 'nothing written: no child');
  assert.equal(lazy.level, 'warn');
  lazy.warn({ code: 'x' }, 'written');
  lazy.info('still below the level');
  lazy.error('again');
  assert.equal(made, 1);
  assert.deepEqual(lines.map((l) => [l.msg, l.request_id, l.correlation_id, l.code]), [['written', 'r1', 'c1', 'x'], ['again', 'r1', 'c1', undefined]]);
  const grandchild = lazy.child({ extra: true });
  grandchild.warn('from a child of the child');
  assert.deepEqual([lines[2]!.request_id, lines[2]!.extra], ['r1', true]);
});

test('a server at level warn makes no request logger for requests that log nothing; a request that logs has its ids', async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('warn', { write: (l: string) => void lines.push(JSON.parse(l)) });
  const s = await startTestServer({ logger });
  try {
    const proto = Object.getPrototypeOf(logger) as { child: pino.Logger['child'] };
    const child = proto.child;
    let children = 0;
    proto.child = function counted(this: pino.Logger, ...args: Parameters<pino.Logger['child']>) {
      children += 1;
      return child.apply(this, args);
    } as typeof child;
    try {
      for (let i = 0; i < 5; i++) assert.equal((await s.request('GET', '/api/health')).status, 200);
      assert.equal(children, 0, 'five quiet requests, no child logger');
      logger.level = 'info'; // the refused body below is logged at info (error-mapper.ts)
      assert.equal((await s.request('POST', '/api/flowcharts', '{broken', { 'x-request-id': 'req-broken' })).status, 400);
      assert.ok(children >= 1, 'a request that logs makes its child');
      const mine = lines.filter((l) => l.request_id === 'req-broken');
      assert.ok(mine.length >= 2, 'the refusal and the request line');
      assert.ok(mine.every((l) => l.correlation_id === 'req-broken'));
    } finally {
      proto.child = child;
    }
    assert.deepEqual(lines.filter((l) => l.msg !== undefined && String(l.msg).startsWith('GET /api/health')), [], 'no request line at warn');
  } finally {
    await s.close();
  }
});
