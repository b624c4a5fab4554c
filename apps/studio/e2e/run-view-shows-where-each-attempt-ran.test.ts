/**
 * The node panel's Executor section in a real browser: with the `queue` backend and a real `llmctl worker`, a
 * finished task node shows backend, class, worker, job and dispatch state for the node run and for its attempt,
 * exactly as the API reports them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRun } from '@llmctl/contracts';
import { startWorker, stopWorker, type WorkerProcess } from '../../server/test/support/queue-workers.ts';
import { byTestId, waitFor } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { lineDoc } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

describe('run view: executor', () => {
  const studio = useStudio();

  test('a node run on a queue worker shows its executor and its attempt executor', { timeout: 120_000 }, async () => {
    const { server } = studio;
    const { db } = server.server;
    let worker: WorkerProcess | undefined;
    try {
      await server.api('PUT', '/api/settings/runtime', { executor: 'queue' });
      worker = await startWorker(db.pool, db.url, 'e2e-exec-w');
      const model = await server.scriptedModel('exec-e2e', [{ output: 'done' }]);
      assert.ok(model);
      const fc = await server.flowchart(lineDoc('Executor shown', 'exec-e2e', ['work']));
      const runId = await server.startRun(fc);
      await studio.withPage(async ({ page, go }) => {
        await go(`/runs/${encodeURIComponent(runId)}`);
        await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 60_000);
        const run = await server.api('GET', `/api/runs/${encodeURIComponent(runId)}`);
        const nr = (run.node_runs as NodeRun[]).find((n) => n.node_id === 'work')!;
        assert.equal(nr.executor?.backend, 'queue');
        await clickNode(page, 'work');
        await waitFor(page, 'node-run-executor', { 'data-backend': 'queue', 'data-dispatch-state': nr.executor!.dispatch_state });
        assert.equal((await byTestId(page, 'executor-class').textContent())?.trim(), nr.executor!.class);
        assert.equal((await byTestId(page, 'executor-worker_id').textContent())?.trim(), nr.executor!.worker_id ?? '—');
        assert.equal((await byTestId(page, 'executor-job_id').textContent())?.trim(), nr.executor!.job_id ?? '—');
        await waitFor(page, `attempt-executor-${nr.attempts.length}`, { 'data-backend': 'queue' });
      });
    } finally {
      if (worker) await stopWorker(worker, 'SIGKILL');
    }
  });
});
