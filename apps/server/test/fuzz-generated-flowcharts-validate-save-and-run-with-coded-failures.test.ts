/**
 * Fuzzing (issue 13): generated flowchart-v1-ish documents through `POST /api/flowcharts/validate`, create and — when
 * saved — a run on a scripted model: never a 5xx, validation and create agree, every problem and every failure is
 * coded, and every run ends (or pauses). `LLMCTL_FUZZ_FLOWCHARTS` sets the number of documents, `LLMCTL_FUZZ_SEED`
 * replays a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isErrorCode } from '@llmctl/contracts';
import { envelopeProblem } from './support/envelope.ts';
import { flowchartDocument } from './support/flowchart-arbitrary.ts';
import { scriptedModel } from './support/documents.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const RUNS = Number(process.env.LLMCTL_FUZZ_FLOWCHARTS ?? 100);
const SEED = process.env.LLMCTL_FUZZ_SEED ? Number(process.env.LLMCTL_FUZZ_SEED) : undefined;
const SETTLED = new Set(['succeeded', 'failed', 'canceled', 'paused']);

function assertEnvelope(where: string, res: { status: number; body: unknown; text: string }): void {
  assert.ok(res.status < 500, `${where} → ${res.status}: ${res.text.slice(0, 400)}`);
  assert.equal(envelopeProblem(res.status, res.body), undefined, `${where} → ${res.status}: ${res.text.slice(0, 400)}`);
}

/** Long-polls a run until it settles; returns it. Fails if it is still active after ten 30 s polls (a hang). */
async function settle(s: TestServer, runId: string): Promise<any> {
  for (let i = 0; i < 10; i++) {
    const res = await s.request('GET', `/api/runs/${runId}?wait_s=30`);
    assertEnvelope(`GET run ${runId}`, res);
    if (SETTLED.has(res.body.data.status)) return res.body.data;
  }
  assert.fail(`run ${runId} did not settle`);
}

function assertCodedFailures(run: any): void {
  if (run.status === 'failed') assert.ok(run.error && isErrorCode(run.error.code), `run error ${JSON.stringify(run.error)}`);
  for (const nr of run.node_runs ?? []) {
    if (nr.error) assert.ok(isErrorCode(nr.error.code), `node ${nr.node_id} error ${JSON.stringify(nr.error)}`);
    for (const a of nr.attempts ?? []) if (a.error) assert.ok(isErrorCode(a.error.code), `attempt error ${JSON.stringify(a.error)}`);
  }
}

test(`generated flowcharts validate, save and run with coded failures only (${RUNS} documents)`, async (t) => {
  const s = await startTestServer({ config: { rateLimit: null } });
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const tally = { validated: 0, valid: 0, saved: 0, runs: 0, byRunStatus: new Map<string, number>() };
    let n = 0;
    await fc.assert(fc.asyncProperty(flowchartDocument, async (generated) => {
      n += 1;
      const doc = generated && typeof generated === 'object' && !Array.isArray(generated) && typeof (generated as { name?: unknown }).name === 'string'
        ? { ...(generated as object), name: `${(generated as { name: string }).name} #${n}` } : generated;
      const v = await s.request('POST', '/api/flowcharts/validate', { document: doc });
      assertEnvelope('validate', v);
      tally.validated += 1;
      if (v.status !== 200) return;
      const result = v.body.data as { valid: boolean; errors: { code: string }[]; warnings: { code: string }[] };
      for (const issue of [...result.errors, ...result.warnings]) assert.match(issue.code, /^[a-z][a-z0-9_]*$/, JSON.stringify(issue));
      const created = await s.request('POST', '/api/flowcharts', doc);
      assertEnvelope('create', created);
      if (!result.valid) {
        assert.equal(created.status, 422, `validate said invalid, create answered ${created.status}: ${created.text.slice(0, 300)}`);
        assert.equal(created.body.error.code, 'flowchart_invalid');
        return;
      }
      tally.valid += 1;
      assert.equal(created.status, 201, `validate said valid, create answered ${created.status}: ${created.text.slice(0, 300)}`);
      tally.saved += 1;
      const started = await s.request('POST', `/api/flowcharts/${created.body.data.id}/runs`, { input: { name: 'fuzz', n: 5 } });
      assertEnvelope('start run', started);
      if (started.status !== 201) return;
      tally.runs += 1;
      const run = await settle(s, started.body.data.id as string);
      tally.byRunStatus.set(run.status, (tally.byRunStatus.get(run.status) ?? 0) + 1);
      assertCodedFailures(run);
      if (run.status === 'paused') assertEnvelope('cancel', await s.request('POST', `/api/runs/${run.id}/control`, { action: 'cancel' }));
    }), { numRuns: RUNS, seed: SEED, includeErrorInReport: true });
    t.diagnostic(`fuzz-flowcharts validated=${tally.validated} valid=${tally.valid} saved=${tally.saved} runs=${tally.runs} statuses ${[...tally.byRunStatus].map(([k, v]) => `${k}:${v}`).join(' ')}`);
    assert.ok(tally.runs > 0, 'no generated flowchart was valid enough to run');
  } finally {
    await s.close();
  }
});
