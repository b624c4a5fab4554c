import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { chart, specialHarness } from './support/special-harness.ts';

const remember = (scope: string) => chart(
  [
    { id: 'start', type: 'start' },
    { id: 'remember', type: 'memory', config: { op: 'add', text: 'Customer {{input.name}} prefers email contact', scope } },
    { id: 'done', type: 'end' },
  ],
  ['start>remember', 'remember>done'],
);

const recall = (scope: string) => chart(
  [
    { id: 'start', type: 'start' },
    { id: 'recall', type: 'memory', config: { op: 'retrieve', query: '{{input.question}}', scope, limit: 3 } },
    { id: 'done', type: 'end' },
  ],
  ['start>recall', 'recall>done'],
);

test('a memory node adds a memory and a later run of the flowchart retrieves it; outputs match the contract', async () => {
  const h = await specialHarness();
  try {
    const added = await h.wait(await h.run(remember('flowchart'), { name: 'Ada' }, 'fc_support'));
    assert.equal(added.status, 'succeeded');
    const addOut = added.output as { op: string; memory: { text: string; scope: string } };
    assert.deepEqual(validateAgainst('memory-output', addOut).errors, []);
    assert.equal(addOut.memory.text, 'Customer Ada prefers email contact');
    assert.equal(addOut.memory.scope, 'flowchart');

    const found = await h.wait(await h.run(recall('flowchart'), { question: 'how does Ada want contact?' }, 'fc_support'));
    const out = found.output as { op: string; memories: { text: string; score: number }[]; count: number };
    assert.deepEqual(validateAgainst('memory-output', out).errors, []);
    assert.equal(out.count, 1);
    assert.equal(out.memories[0]?.text, 'Customer Ada prefers email contact');
    assert.ok((out.memories[0]?.score ?? 0) > 0);
  } finally {
    await h.stop();
  }
});

test('flowchart-scoped memories stay in their flowchart; global ones are shared', async () => {
  const h = await specialHarness();
  try {
    await h.wait(await h.run(remember('flowchart'), { name: 'Bob' }, 'fc_a'));
    await h.wait(await h.run(remember('global'), { name: 'Cleo' }, 'fc_a'));
    const other = await h.wait(await h.run(recall('flowchart'), { question: 'customer prefers email' }, 'fc_b'));
    assert.equal((other.output as { count: number }).count, 0);
    const global = await h.wait(await h.run(recall('global'), { question: 'customer prefers email' }, 'fc_b'));
    assert.deepEqual((global.output as { memories: { text: string }[] }).memories.map((m) => m.text), ['Customer Cleo prefers email contact']);
  } finally {
    await h.stop();
  }
});
