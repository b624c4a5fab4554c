import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flow, harness, nodeRuns, projection } from './support/harness.ts';

test('a chain runs every node once and the end node output is the run output', async () => {
  const h = await harness({ a: (x) => ({ output: { n: (x.triggering as { n: number }).n + 1 } }) });
  const id = await h.run(flow([{ id: 's', type: 'start' }, { id: 'a' }, { id: 'z', type: 'end' }], ['s>a', 'a>z']), { n: 1 });
  await h.wait(id);
  assert.equal(h.status(id), 'succeeded');
  assert.deepEqual(projection(h, id).output, { n: 2 });
  assert.deepEqual(nodeRuns(h, id).map((r) => [r.node_id, r.status, r.iteration]), [['s', 'succeeded', 1], ['a', 'succeeded', 1], ['z', 'succeeded', 1]]);
  await h.stop();
});

test('event sequences are gap-free from 1', async () => {
  const h = await harness();
  const id = await h.run(flow([{ id: 's', type: 'start' }, { id: 'a' }, { id: 'b' }, { id: 'z', type: 'end' }], ['s>a', 's>b', 'a>z', 'b>z']));
  await h.wait(id);
  const seqs = h.store.events.get(id)!.map((e) => e.sequence);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
  await h.stop();
});

test('inclusive join after a first-match decision fires with the one branch taken', async () => {
  const h = await harness();
  const doc = flow(
    [{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, { id: 'a' }, { id: 'b' }, { id: 'j' }, { id: 'z', type: 'end' }],
    ['s>d', { source: 'd', target: 'a', condition: 'output.x = 1' }, { source: 'd', target: 'b', fallback: true }, 'a>j', 'b>j', 'j>z'],
  );
  const id = await h.run(doc, { x: 1 });
  await h.wait(id);
  assert.equal(h.status(id), 'succeeded');
  const j = nodeRuns(h, id).find((r) => r.node_id === 'j')!;
  assert.deepEqual(j.output, { a: { x: 1 } });
  assert.equal(nodeRuns(h, id).some((r) => r.node_id === 'b'), false);
  await h.stop();
});

test('an all join after an exclusive decision starves and fails the run with fan_in_starved', async () => {
  const h = await harness();
  const doc = flow(
    [{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, { id: 'a' }, { id: 'b' }, { id: 'j', fan_in: { policy: 'all' } }, { id: 'z', type: 'end' }],
    ['s>d', { source: 'd', target: 'a', condition: 'true' }, { source: 'd', target: 'b', fallback: true }, 'a>j', 'b>j', 'j>z'],
  );
  const id = await h.run(doc);
  await h.wait(id);
  assert.equal(h.status(id), 'failed');
  assert.equal(projection(h, id).error?.code, 'fan_in_starved');
  await h.stop();
});

test('a loop runs until its condition exits and conditions see node.iteration', async () => {
  const h = await harness();
  const doc = flow(
    [{ id: 's', type: 'start' }, { id: 'h' }, { id: 'b' }, { id: 'z', type: 'end' }],
    ['s>h', 'h>b', { source: 'b', target: 'h', condition: 'node.iteration < 3' }, { source: 'b', target: 'z', condition: 'node.iteration >= 3' }],
  );
  const id = await h.run(doc);
  await h.wait(id);
  assert.equal(h.status(id), 'succeeded');
  assert.deepEqual(nodeRuns(h, id).filter((r) => r.node_id === 'b').map((r) => r.iteration), [1, 2, 3]);
  await h.stop();
});

test('max_node_executions fails the run with guardrail_max_node_executions', async () => {
  const h = await harness();
  const doc = flow([{ id: 's', type: 'start' }, { id: 'h' }, { id: 'b' }, { id: 'z', type: 'end' }], ['s>h', 'h>b', 'b>h', { source: 'b', target: 'z', condition: 'false' }], { max_node_executions: 7 });
  const id = await h.run(doc);
  await h.wait(id);
  assert.equal(projection(h, id).error?.code, 'guardrail_max_node_executions');
  assert.equal(nodeRuns(h, id).filter((r) => r.started_at).length, 7);
  await h.stop();
});
