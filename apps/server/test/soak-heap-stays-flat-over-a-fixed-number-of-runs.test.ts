/**
 * The suite's bounded soak (issue 13; the timed soak with RSS and latency slopes is bench/src/soak.ts): a fixed number
 * of runs through the HTTP API of an in-process server, with the JavaScript heap measured after full garbage
 * collections. Work is counted, not timed: whatever a run leaves behind in memory (a registry entry, a listener, a
 * cached actor) shows as heap growing with the number of runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { scriptedModel, validDoc } from './support/documents.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const WARMUP = 40;
const MEASURED = 160;
const BATCH = 12;
/** Heap a finished run may leave behind, on average (a leak of one run's actor, events or listeners is far larger). */
const MAX_BYTES_PER_RUN = 12 * 1024;

function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function runs(s: TestServer, flowchartId: string, n: number): Promise<void> {
  for (let done = 0; done < n; done += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, n - done) }, async (_, i) => {
      const started = await s.request('POST', `/api/flowcharts/${flowchartId}/runs`, { input: { name: `soak ${done + i}` } });
      assert.equal(started.status, 201, started.text);
      for (;;) {
        const r = await s.request('GET', `/api/runs/${started.body.data.id}?wait_s=30`);
        if (r.body.data.status === 'succeeded') break;
        assert.ok(['queued', 'running'].includes(r.body.data.status), JSON.stringify(r.body.data.error));
      }
    }));
    // Other traffic of a steady load: lists and validation.
    assert.equal((await s.request('GET', '/api/runs?per_page=50')).status, 200);
    assert.equal((await s.request('POST', '/api/flowcharts/validate', validDoc('x', 'm1'))).status, 200);
  }
}

test(`the server heap stays flat over ${MEASURED} runs after ${WARMUP} warm-up runs`, async (t) => {
  const s = await startTestServer({ config: { rateLimit: null } });
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const fc = await s.request('POST', '/api/flowcharts', validDoc('Soak', 'm1'));
    await runs(s, fc.body.data.id, WARMUP);
    const before = heapAfterGc();
    await runs(s, fc.body.data.id, MEASURED / 2);
    const middle = heapAfterGc();
    await runs(s, fc.body.data.id, MEASURED / 2);
    const after = heapAfterGc();
    const perRun = (after - before) / MEASURED;
    t.diagnostic(`soak-heap before=${(before / 2 ** 20).toFixed(1)} MB middle=${(middle / 2 ** 20).toFixed(1)} MB after=${(after / 2 ** 20).toFixed(1)} MB per-run=${(perRun / 1024).toFixed(1)} KB`);
    assert.ok(perRun < MAX_BYTES_PER_RUN, `heap grew ${(perRun / 1024).toFixed(1)} KB per run (${((after - before) / 2 ** 20).toFixed(1)} MB over ${MEASURED} runs)`);
  } finally {
    await s.close();
  }
});
