/**
 * Server logs while a real browser uses the studio: deep links and reloads of studio routes log no "Reply was already
 * sent" (nor any warning), pages and static files log nothing, and each API call is one concise line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../server/src/logger.ts';
import { waitFor } from './support/browser.ts';
import { triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
    cb();
  },
});

describe('server logs', () => {
  const studio = useStudio({ logger: createLogger('info', sink) });

  test('deep links and reloads log no warning; pages and files are not logged; API calls are one line each', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('logged', triageResponses());
    const id = await server.flowchart(triageDoc('Logged', 'logged'));
    const from = lines.length;
    await studio.withPage(async ({ page, go }) => {
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await page.reload({ waitUntil: 'domcontentloaded' });
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await go('/models?q=log');
      await waitFor(page, 'models-table');
      await page.reload({ waitUntil: 'domcontentloaded' });
      await waitFor(page, 'models-table');
    });
    const seen = lines.slice(from);
    const text = seen.map((l) => JSON.stringify(l)).join('\n');
    assert.doesNotMatch(text, /already sent/i);
    assert.deepEqual(seen.filter((l) => Number(l.level) >= 40), [], 'no warnings or errors');
    const requests = seen.filter((l) => typeof l.url === 'string');
    assert.ok(requests.length > 0, 'API calls are logged');
    for (const r of requests) {
      assert.match(String(r.url), /^\/(api|metrics)\b/, `only API requests are logged: ${String(r.url)}`);
      assert.match(String(r.msg), /^[A-Z]+ \S+ \d{3} \d+ ms$/);
    }
    assert.equal(seen.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed').length, 0, 'one line per request, not two');
  });
});
