/**
 * `/workers` in a real browser against a real server and real `llmctl worker` processes: the empty state explains
 * how to add a worker; a started worker appears live with its class and concurrency (after the refresh control);
 * a killed one turns lost once the server says so. Gated on the server's state and the DOM, never on a delay.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, stopWorker, until, type WorkerProcess } from '../../server/test/support/queue-workers.ts';
import { byTestId, screenshot, waitFor } from './support/browser.ts';
import { useStudio } from './support/suite.ts';

describe('workers page', () => {
  const studio = useStudio();

  test('the empty state explains llmctl worker; a worker shows live, then lost after it is killed', { timeout: 120_000 }, async () => {
    const { server } = studio;
    const { db } = server.server;
    const started: WorkerProcess[] = [];
    try {
      await studio.withPage(async ({ page, go }) => {
        await go('/workers');
        await waitFor(page, 'workers-empty');
        assert.match((await byTestId(page, 'workers-empty').textContent()) ?? '', /llmctl worker --data-dir \.llmctl/);
        await waitFor(page, 'queue-depth');
        const health = await server.api('GET', '/api/health');
        assert.equal((await byTestId(page, 'queue-depth').textContent())?.trim(), String(health.executor.queue.depth));

        started.push(await startWorker(db.pool, db.url, 'e2e-w1', ['--class', 'frontier', '--concurrency', '3']));
        await byTestId(page, 'workers-refresh').click();
        await waitFor(page, 'worker-e2e-w1', { 'data-status': 'live' });
        assert.equal((await byTestId(page, 'worker-load-e2e-w1').textContent())?.trim(), '0 / 3');
        assert.match((await byTestId(page, 'worker-e2e-w1').textContent()) ?? '', /frontier/);
        await screenshot(page, 'workers');

        await stopWorker(started[0]!, 'SIGKILL');
        await until(async () => ((await server.api('GET', '/api/workers')) as { name: string; status: string }[]).some((w) => w.name === 'e2e-w1' && w.status === 'lost'), 'the server to see the worker lost');
        await byTestId(page, 'workers-refresh').click();
        await waitFor(page, 'worker-e2e-w1', { 'data-status': 'lost' });
      });
    } finally {
      for (const w of started) await stopWorker(w, 'SIGKILL');
    }
  });
});
