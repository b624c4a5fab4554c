import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { chart, specialHarness } from './support/special-harness.ts';

test('llm_guided memory, plan and milestone nodes turn the model answer into their tool call', async () => {
  const h = await specialHarness();
  try {
    h.model('guide', [
      { match: 'Memory node remember:', output: { text: 'The user {{input.user}} likes short answers' } },
      { match: 'Plan node planner:', output: { items: [{ title: 'Draft' }, { title: 'Review', status: 'in_progress' }] } },
      { match: 'Plan node finisher:', output: { item_key: 'draft' } },
      { match: 'Milestone node gate:', output: { completed: true, title: 'Draft reviewed' } },
      { match: 'Memory node recall:', output: { query: 'short answers' } },
    ]);
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'remember', type: 'memory', config: { mode: 'llm_guided', model: 'guide', op: 'add' } },
        { id: 'recall', type: 'memory', config: { mode: 'llm_guided', model: 'guide', op: 'retrieve' } },
        { id: 'planner', type: 'plan', config: { mode: 'llm_guided', model: 'guide', plan_key: 'work' } },
        { id: 'finisher', type: 'plan', config: { mode: 'llm_guided', model: 'guide', op: 'complete_item', plan_key: 'work' } },
        { id: 'gate', type: 'milestone', config: { mode: 'llm_guided', model: 'guide', milestone_key: 'm1', terminate: 'on_complete' } },
        { id: 'done', type: 'end' },
      ],
      ['start>remember', 'remember>recall', 'recall>planner', 'planner>finisher', 'finisher>gate', 'gate>done'],
    );
    const run = await h.wait(await h.run(doc, { user: 'kim' }));
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const out = (id: string) => run.node_runs.find((r) => r.node_id === id)!.output;
    assert.equal((out('remember') as { memory: { text: string } }).memory.text, 'The user kim likes short answers');
    assert.equal((out('recall') as { count: number }).count, 1);
    assert.deepEqual((out('planner') as { items: unknown[] }).items, [
      { key: 'draft', title: 'Draft', status: 'pending' },
      { key: 'review', title: 'Review', status: 'in_progress' },
    ]);
    assert.deepEqual((out('finisher') as { completed_item: unknown }).completed_item, { key: 'draft', title: 'Draft', status: 'completed' });
    assert.deepEqual(run.output, { milestone_key: 'm1', title: 'Draft reviewed', status: 'completed', terminated: true });
    assert.deepEqual(validateAgainst('milestone-output', run.output).errors, []);
    // The built-in prompts name the node; the complete_item prompt lists the current plan items.
    const finisherCall = h.calls.find((c) => c.node_id === 'finisher')!;
    assert.equal(finisherCall.kind, 'chat');
    assert.equal(run.node_runs.find((r) => r.node_id === 'gate')!.usage?.model_calls, 1);
  } finally {
    await h.stop();
  }
});

test('an llm_guided node repairs an invalid answer, then fails with output_invalid when it stays invalid', async () => {
  const h = await specialHarness();
  try {
    h.model('bad', [{ match: 'Milestone node gate:', output: { completed: 'maybe' } }]);
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'gate', type: 'milestone', config: { mode: 'llm_guided', model: 'bad', milestone_key: 'm1', max_repair_attempts: 1, on_failure: 'fallback' } },
        { id: 'done', type: 'end' },
      ],
      ['start>gate', 'gate>done'],
    );
    const run = await h.wait(await h.run(doc));
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.code, 'output_invalid');
    assert.deepEqual(h.calls.map((c) => c.kind), ['chat', 'repair']);
    assert.equal(h.counts.milestone_update, 0);
  } finally {
    await h.stop();
  }
});

test('llm_guided without a model is a configuration error', async () => {
  const h = await specialHarness();
  try {
    const doc = chart(
      [{ id: 'start', type: 'start' }, { id: 'm', type: 'memory', config: { mode: 'llm_guided', op: 'add' } }, { id: 'done', type: 'end' }],
      ['start>m', 'm>done'],
    );
    const run = await h.wait(await h.run(doc));
    assert.equal(run.error?.code, 'node_config_invalid');
  } finally {
    await h.stop();
  }
});

test('plan and rag nodes that name a model without a mode are llm_guided (as save-time validation reads them)', async () => {
  const h = await specialHarness();
  try {
    await h.stores.rag.createCollection({ id: 'col_kb', name: 'kb' });
    await h.stores.rag.addDocument({
      document: { id: 'doc_kb', collection_id: 'col_kb', name: 'kb.txt', media_type: 'text/plain' },
      chunks: [{ id: 'doc_kb:0', ordinal: 0, text: 'Harbour tides change twice a day' }, { id: 'doc_kb:1', ordinal: 1, text: 'Ferries leave at noon' }],
    });
    h.model('guide', [
      { match: 'Plan node planner:', output: { items: [{ title: 'Check tides' }] } },
      { match: 'RAG node lookup: write a search query for collection "kb"', output: { query: 'tides harbour' } },
    ]);
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'planner', type: 'plan', config: { model: 'guide', plan_key: 'trip' } },
        { id: 'lookup', type: 'rag', config: { model: 'guide', collection: 'kb', query: 'focus on {{input.topic}}', top_k: 1 } },
        { id: 'done', type: 'end' },
      ],
      ['start>planner', 'planner>lookup', 'lookup>done'],
    );
    const run = await h.wait(await h.run(doc, { topic: 'water levels' }));
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual((run.node_runs.find((r) => r.node_id === 'planner')!.output as { items: { title: string }[] }).items.map((i) => i.title), ['Check tides']);
    assert.deepEqual(run.output, { collection: 'kb', query: 'tides harbour', results: [{ chunk_id: 'doc_kb:0', document_id: 'doc_kb', text: 'Harbour tides change twice a day', score: (run.output as { results: { score: number }[] }).results[0]!.score }] });
    assert.deepEqual(validateAgainst('rag-output', run.output).errors, []);
  } finally {
    await h.stop();
  }
});
