import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, parseLogFormat } from '../src/config.ts';
import { createLogger, formatPrettyLine } from '../src/logger.ts';
import { startTestServer } from './support/test-server.ts';

/** A pino destination that keeps every line. */
function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, stream };
}

test('deep links and reloads of studio routes log no "Reply was already sent"; one concise line per API request, none for static files', async () => {
  const dist = await mkdtemp(join(tmpdir(), 'llmctl-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>studio</title><div id="root"></div>');
  await writeFile(join(dist, 'assets', 'app.js'), 'console.log("studio")');
  const { lines, stream } = capture();
  const s = await startTestServer({ config: { studioDist: dist }, logger: createLogger('info', stream) });
  try {
    for (const path of ['/flowcharts/fc_123', '/runs/run_1?tab=events', '/models/new', '/flowcharts/fc_123']) {
      const r = await s.request('GET', path, undefined, { accept: 'text/html' });
      assert.equal(r.status, 200, path);
      assert.match(r.text, /<title>studio<\/title>/);
    }
    assert.equal((await s.request('GET', '/assets/app.js')).status, 200);
    assert.equal((await s.request('GET', '/')).status, 200);
    const health = await s.request('GET', '/api/health');
    assert.ok(health.status === 200 || health.status === 503);
    assert.equal((await s.request('GET', '/api/nope')).status, 404);

    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    assert.doesNotMatch(text, /already sent/i);
    assert.ok(lines.every((l) => (l.level as number) < 40), `no warnings or errors:\n${text}`);
    const requests = lines.filter((l) => l.msg !== undefined && typeof l.url === 'string');
    assert.deepEqual(requests.map((l) => [l.method, l.url, l.status]), [['GET', '/api/health', health.status], ['GET', '/api/nope', 404]],
      `one line per API request, none for pages and files:\n${text}`);
    assert.match(String(requests[0]!.msg), /^GET \/api\/health \d{3} \d+ ms$/);
  } finally {
    await s.close();
    await rm(dist, { recursive: true, force: true });
  }
});

test('the pretty format is one human line per entry, with the request id and no secrets', () => {
  const line = formatPrettyLine(JSON.stringify({ level: 30, time: '2026-12-06T03:00:00.123Z', msg: 'GET /api/health 200 3 ms', request_id: 'req_1', service: 'llmctl', pid: 1, hostname: 'h' }));
  assert.equal(line, '03:00:00.123 INFO  GET /api/health 200 3 ms request_id=req_1\n');
  const err = formatPrettyLine(JSON.stringify({ level: 50, time: '2026-12-06T03:00:00.000Z', msg: 'boom', err: { message: 'bad', stack: 'Error: bad\n    at x' } }));
  assert.match(err, /^03:00:00.000 ERROR boom err=bad\n/);
  assert.equal(formatPrettyLine('not json'), 'not json\n');
});

test('the log format comes from LLMCTL_LOG_FORMAT (json by default); anything but json or pretty is refused', () => {
  assert.equal(loadConfig({}).logFormat, 'json');
  assert.equal(loadConfig({ LLMCTL_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
  assert.throws(() => loadConfig({ LLMCTL_LOG_FORMAT: 'xml' }), (e: { code?: string; message?: string }) => e.code === 'validation_failed' && /json or pretty/.test(e.message ?? ''));
  assert.throws(() => parseLogFormat('--log-format', 'text'), /--log-format="text" is not valid/);
});
