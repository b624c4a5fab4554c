import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { ingestDocument } from '@llmctl/tools';
import { HANDBOOK, SPECIAL_FLOWCHART, SPECIAL_INPUT, TRIAGE_BOT_RESPONSES } from './support/special-flowchart.ts';
import { specialHarness } from './support/special-harness.ts';

test('memory → plan → milestone → rag → llm_guided decision → task → terminating milestone runs end to end on the scripted provider', async () => {
  const h = await specialHarness();
  try {
    h.model('triage-bot', TRIAGE_BOT_RESPONSES);
    await h.stores.rag.createCollection({ id: 'col_handbook', name: HANDBOOK.collection });
    await ingestDocument(h.stores.rag, { collection: HANDBOOK.collection, document_id: 'doc_refunds', ...HANDBOOK.document });
    const run = await h.wait(await h.run(SPECIAL_FLOWCHART, SPECIAL_INPUT));
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(run.node_runs.map((r) => r.node_id), ['start', 'remember', 'recall', 'plan', 'opened', 'lookup', 'triage', 'reply', 'tick', 'closed']);
    assert.ok(run.node_runs.every((r) => r.status === 'succeeded' && r.outcome === 'success'));
    const out = (id: string) => run.node_runs.find((r) => r.node_id === id)!.output;
    for (const [id, schema] of [['remember', 'memory-output'], ['recall', 'memory-output'], ['plan', 'plan-output'], ['opened', 'milestone-output'],
      ['lookup', 'rag-output'], ['tick', 'plan-output'], ['closed', 'milestone-output'], ['triage', 'decision-output']] as const) {
      assert.deepEqual(validateAgainst(schema, out(id)).errors, [], id);
    }
    assert.equal((out('recall') as { memories: { text: string }[] }).memories[0]?.text, 'Ada reported: My parcel arrived damaged, can I get a refund?');
    assert.equal((out('triage') as { route_key: string }).route_key, 'answer');
    assert.deepEqual(out('reply'), { reply: 'Refund within 14 days for Ada', sources: 'doc_refunds' });
    assert.deepEqual(run.output, { milestone_key: 'ticket-handled', title: 'Ticket of Ada handled', status: 'completed', terminated: true });
    const plan = await h.stores.plan.get([...h.store.runs.keys()][0]!, 'ticket');
    assert.deepEqual(plan?.items.map((i) => i.status), ['pending', 'completed']);
  } finally {
    await h.stop();
  }
});
