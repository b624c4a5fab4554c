/**
 * The migration API end to end on a real server and database: dry run, apply, idempotent re-import, rollback (hash
 * equal), the cutover switch (off after the first apply, 409 cutover_disabled, 409 cutover_blocked), the rehearsal,
 * and a run of an imported flowchart whose node sequence is the one llmctl's scheduler produces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHash } from '@llmctl/migrate';
import { startTestServer, errorCode, type TestServer } from './support/test-server.ts';
import { validDoc } from './support/documents.ts';
import { finishedRun, startRun } from './support/realtime.ts';
import { multiMatchWithJoin, routeKeyDecision } from '../../../packages/migrate/test/fixtures/legacy-graphs.ts';

const MODEL = {
  name: 'demo', provider: 'scripted',
  settings: { responses: [{ match: 'Classify', output: { route_key: 'approve', message: 'urgent approval' } }, { match: 'Decide', output: { route_key: 'approve' } }, { output: 'ok' }] },
};
const MAP = { '7': 'demo', '8': 'demo' };

test('migrations API', async (t) => {
  const s: TestServer = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', MODEL)).status, 201);
    const cutover = async () => (await s.request('GET', '/api/settings/runtime')).body.data.agent_runtime_cutover_enabled as boolean;
    let multiId = '';
    let routeId = '';
    let reapplyReport: any;

    await t.test('a dry run stores ready reports and creates nothing; the cutover stays on', async () => {
      assert.equal(await cutover(), true);
      const res = await s.request('POST', '/api/migrations/flowcharts', { source: { flowcharts: [multiMatchWithJoin, routeKeyDecision] }, model_map: MAP });
      assert.equal(res.status, 200, res.text);
      const b = res.body.data;
      assert.deepEqual([b.flowchart_count, b.ready_count, b.blocked_count, b.applied_count, b.apply_requested, b.strict], [2, 2, 0, 0, false, true]);
      assert.match(b.reports[0].id, /^mig_/);
      assert.equal((await s.request('GET', '/api/migrations')).body.page.total, 2);
      assert.equal((await s.request('GET', `/api/migrations/${b.reports[0].id}`)).body.data.report.source.legacy_id, 41);
      assert.equal((await s.request('GET', '/api/flowcharts')).body.page.total, 0);
      assert.equal(await cutover(), true);
    });

    await t.test('apply creates the flowcharts and turns the cutover off once', async () => {
      const res = await s.request('POST', '/api/migrations/flowcharts', { source: [multiMatchWithJoin, routeKeyDecision], model_map: MAP, apply: true });
      const b = res.body.data;
      assert.equal(b.applied_count, 2);
      multiId = b.reports[0].apply.flowchart_id;
      routeId = b.reports[1].apply.flowchart_id;
      assert.equal(b.reports[0].apply.version, 1);
      assert.equal(b.reports[0].rollback.pre_migration_hash, null);
      const f = (await s.request('GET', `/api/flowcharts/${multiId}`)).body.data;
      assert.equal(canonicalHash(f.document), b.reports[0].after_hash);
      assert.equal(await cutover(), false);
    });

    await t.test('while the cutover is off, runs of imported flowcharts are 409 cutover_disabled; others run', async () => {
      const res = await s.request('POST', `/api/flowcharts/${multiId}/runs`, { input: {} });
      assert.equal(res.status, 409);
      assert.equal(errorCode(res), 'cutover_disabled');
      const own = await s.request('POST', '/api/flowcharts', validDoc('Own', 'demo'));
      assert.equal((await s.request('POST', `/api/flowcharts/${own.body.data.id}/runs`, { input: {} })).status, 201);
    });

    await t.test('re-importing the same legacy flowchart adds a version, never a duplicate', async () => {
      const renamed = { ...multiMatchWithJoin, flowchart: { ...multiMatchWithJoin.flowchart, name: 'triage v2' } };
      const before = (await s.request('GET', `/api/flowcharts/${multiId}`)).body.data;
      const res = await s.request('POST', '/api/migrations/flowcharts', { source: renamed, model_map: MAP, apply: true });
      reapplyReport = res.body.data.reports[0];
      assert.equal(reapplyReport.apply.flowchart_id, multiId);
      assert.equal(reapplyReport.apply.version, 2);
      assert.equal(reapplyReport.rollback.pre_migration_hash, canonicalHash(before.document));
      assert.equal((await s.request('GET', '/api/flowcharts')).body.page.total, 3);
      assert.equal(await cutover(), false);
    });

    await t.test('rollback restores the version before the apply (hash equal) or deletes a created flowchart', async () => {
      const res = await s.request('POST', `/api/migrations/${reapplyReport.id}/rollback`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.data.action, 'restored');
      assert.equal(res.body.data.hash, reapplyReport.rollback.pre_migration_hash);
      const f = (await s.request('GET', `/api/flowcharts/${multiId}`)).body.data;
      assert.equal(f.version, 3);
      assert.equal(canonicalHash(f.document), reapplyReport.rollback.pre_migration_hash);
      const again = await s.request('POST', `/api/migrations/${reapplyReport.id}/rollback`);
      assert.equal(errorCode(again), 'migration_not_applicable');
      const list = (await s.request('GET', '/api/migrations?q=legacy-route-key')).body.data;
      const applied = list.find((r: any) => r.applied_at && r.flowchart_id === routeId);
      const del = await s.request('POST', `/api/migrations/${applied.id}/rollback`);
      assert.equal(del.body.data.action, 'deleted');
      assert.equal((await s.request('GET', `/api/flowcharts/${routeId}`)).status, 404);
      assert.equal(errorCode(await s.request('POST', '/api/migrations/mig_nope/rollback')), 'not_found');
    });

    await t.test('turning the cutover on is 409 cutover_blocked while an applied import\'s latest report is blocked', async () => {
      const blocked = await s.request('POST', '/api/migrations/flowcharts', { source: multiMatchWithJoin, model_map: {} });
      assert.equal(blocked.body.data.blocked_count, 1);
      const res = await s.request('PUT', '/api/settings/runtime', { agent_runtime_cutover_enabled: true });
      assert.equal(res.status, 409);
      assert.equal(errorCode(res), 'cutover_blocked');
      assert.deepEqual(res.body.error.details.flowcharts.map((f: any) => f.legacy_id), [41]);
      const list = (await s.request('GET', '/api/migrations/cutover')).body.data;
      assert.deepEqual([list.imported, list.blocked, list.can_enable, list.enabled], [1, 1, false, false]);
      await s.request('POST', '/api/migrations/flowcharts', { source: multiMatchWithJoin, model_map: MAP });
      const on = await s.request('PUT', '/api/settings/runtime', { agent_runtime_cutover_enabled: true });
      assert.equal(on.status, 200, on.text);
      assert.equal(await cutover(), true);
    });

    await t.test('the rehearsal runs every imported flowchart on the scripted provider and records it in the checklist', async () => {
      const res = await s.request('POST', '/api/migrations/cutover/rehearse', { timeout_s: 120 });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.data.rehearsed, 1);
      assert.equal(res.body.data.flowcharts[0].rehearsal.status, 'succeeded');
      assert.equal(res.body.data.evidence.record, 'docs/migration/test-evidence.md');
    });

    await t.test('an imported decision + join runs the node sequence llmctl\'s scheduler produces', async () => {
      // llmctl (services/tasks.py run_flowchart): FIFO ready_queue in batches of max_parallel_nodes (2); the decision
      // fires every matched connector in solid-edge order (approve_path → n4, urgent_path → n5; reject_path does not
      // match); the join n7 (default fan-in "all") fires once both parents delivered a token; then the end n8.
      const runId = await startRun(s, multiId);
      const run = await finishedRun(s, runId);
      assert.equal(run.status, 'succeeded');
      const full = (await s.request('GET', `/api/runs/${runId}`)).body.data;
      assert.deepEqual(full.node_runs.map((n: any) => n.node_id), ['n1', 'n2', 'n3', 'n4', 'n5', 'n7', 'n8']);
    });

    await t.test('later applies leave the cutover switch alone', async () => {
      const res = await s.request('POST', '/api/migrations/flowcharts', { source: routeKeyDecision, model_map: MAP, apply: true });
      assert.equal(res.body.data.applied_count, 1);
      assert.equal(await cutover(), true);
      // the legacy route-key decision routes by its key (llmctl's own migration would take the fallback every time)
      const run = await finishedRun(s, await startRun(s, res.body.data.reports[0].apply.flowchart_id));
      const full = (await s.request('GET', `/api/runs/${run.id}`)).body.data;
      assert.deepEqual(full.node_runs.map((n: any) => n.node_id), ['n1', 'n2', 'n3', 'n11']);
      // a new version of a rehearsed flowchart needs a new rehearsal
      assert.equal((await s.request('GET', '/api/migrations/cutover')).body.data.rehearsed, 1);
      const renamed = { ...multiMatchWithJoin, flowchart: { ...multiMatchWithJoin.flowchart, name: 'triage v3' } };
      await s.request('POST', '/api/migrations/flowcharts', { source: renamed, model_map: MAP, apply: true });
      assert.equal((await s.request('GET', '/api/migrations/cutover')).body.data.rehearsed, 0);
    });

    await t.test('bad input is a coded error and nothing is half-imported', async () => {
      const before = (await s.request('GET', '/api/migrations')).body.page.total;
      const bad = await s.request('POST', '/api/migrations/flowcharts', { source: { flowcharts: [routeKeyDecision, { flowchart: { id: 3 }, nodes: 'x', edges: [] }] }, model_map: MAP, apply: true });
      assert.equal(bad.status, 400);
      assert.equal(errorCode(bad), 'migration_input_invalid');
      assert.equal(bad.body.error.details.path, '.flowcharts[1].nodes');
      assert.equal((await s.request('GET', '/api/migrations')).body.page.total, before);
      assert.equal(errorCode(await s.request('POST', '/api/migrations/flowcharts', { model_map: MAP })), 'validation_failed');
    });
  } finally {
    await s.close();
  }
});
