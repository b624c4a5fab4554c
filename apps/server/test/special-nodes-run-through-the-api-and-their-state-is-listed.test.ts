import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import type { TransientEvent } from '@llmctl/runtime';
import { HANDBOOK, SPECIAL_FLOWCHART, SPECIAL_INPUT, TRIAGE_BOT_RESPONSES } from '../../../packages/runtime/test/support/special-flowchart.ts';
import { startTestServer } from './support/test-server.ts';

test('memory → plan → milestone → rag → decision runs through the HTTP API; memories, plans, milestones and artifacts are listed', async () => {
  const server = await startTestServer();
  const events: TransientEvent[] = [];
  server.app.orchestrator.bus.onTransient((e) => events.push(e));
  try {
    const must = async (method: string, path: string, body?: unknown, status = 200) => {
      const r = await server.request(method, path, body);
      assert.equal(r.status, status, `${method} ${path}: ${r.text.slice(0, 500)}`);
      return r.body;
    };
    await must('POST', '/api/models', { name: 'triage-bot', provider: 'scripted', model: 'scripted', settings: { responses: TRIAGE_BOT_RESPONSES } }, 201);
    await must('POST', '/api/rag/collections', { name: HANDBOOK.collection }, 201);
    await must('POST', `/api/rag/collections/${HANDBOOK.collection}/documents`, HANDBOOK.document, 201);
    const fc = (await must('POST', '/api/flowcharts', SPECIAL_FLOWCHART, 201)).data;
    const started = (await must('POST', `/api/flowcharts/${fc.id}/runs`, { input: SPECIAL_INPUT }, 201)).data;
    const run = (await must('GET', `/api/runs/${started.id}?wait_s=30`)).data;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(run.output, { milestone_key: 'ticket-handled', title: 'Ticket of Ada handled', status: 'completed', terminated: true });
    const lookup = run.node_runs.find((r: { node_id: string }) => r.node_id === 'lookup');
    assert.deepEqual(validateAgainst('rag-output', lookup.output).errors, []);
    assert.equal(lookup.output.results[0].text.includes('14 days'), true);

    const memories = await must('GET', `/api/memories?flowchart_id=${fc.id}`);
    assert.deepEqual(memories.data.map((m: { text: string; scope: string }) => [m.text, m.scope]), [[`Ada reported: ${SPECIAL_INPUT.message}`, `flowchart:${fc.id}`]]);
    assert.deepEqual(memories.page, { page: 1, per_page: 20, total: 1 });
    const plans = await must('GET', `/api/plans?run_id=${run.id}`);
    assert.deepEqual(plans.data.map((p: { plan_key: string; items: { status: string }[] }) => [p.plan_key, p.items.map((i) => i.status)]), [['ticket', ['pending', 'completed']]]);
    const milestones = await must('GET', `/api/milestones?flowchart_id=${fc.id}`);
    assert.deepEqual(milestones.data.map((m: { milestone_key: string; status: string }) => [m.milestone_key, m.status]), [['ticket-handled', 'completed']]);
    assert.equal((await must('GET', '/api/memories?flowchart_id=fc_none')).page.total, 0);

    const artifacts = await must('GET', `/api/runs/${run.id}/artifacts?per_page=100`);
    assert.deepEqual(artifacts.data.map((a: { kind: string }) => a.kind), ['memory', 'memory', 'plan', 'milestone', 'rag', 'plan', 'milestone']);
    for (const a of artifacts.data) assert.deepEqual(validateAgainst('artifact', a).errors, []);
    assert.deepEqual(artifacts.data.filter((a: { name: string }) => a.name === 'ticket').map((a: { version: number }) => a.version), [1, 2]);
    const one = await must('GET', `/api/artifacts/${encodeURIComponent(artifacts.data[2].id)}`);
    assert.deepEqual(one.data, artifacts.data[2]);
    assert.equal((await server.request('GET', '/api/artifacts/nope')).status, 404);
    assert.equal((await server.request('GET', '/api/runs/run_0000000000000000000000/artifacts')).status, 404);

    const persisted = events.filter((e) => e.event_type === 'flowchart:node_artifact:persisted' && e.run_id === run.id);
    assert.deepEqual(persisted.map((e) => (e.payload as { artifact: { id: string } }).artifact.id), artifacts.data.map((a: { id: string }) => a.id));
    const trace = (await must('GET', `/api/runs/${run.id}/trace`)).data;
    assert.ok(JSON.stringify(trace).includes('"kind":"tool_call"'));
  } finally {
    await server.close();
  }
});

test('list parameters of the special-state lists are validated like the other lists', async () => {
  const server = await startTestServer();
  try {
    assert.equal((await server.request('GET', '/api/plans?sort=bogus')).body.error.code, 'validation_failed');
    assert.equal((await server.request('GET', '/api/milestones?per_page=500')).status, 400);
    assert.equal((await server.request('GET', `/api/memories?run_id=${'x'.repeat(300)}`)).status, 400);
    assert.deepEqual((await server.request('GET', '/api/milestones')).body.page, { page: 1, per_page: 20, total: 0 });
  } finally {
    await server.close();
  }
});
