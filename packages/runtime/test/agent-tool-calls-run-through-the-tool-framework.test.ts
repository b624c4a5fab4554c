import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chart, specialHarness } from './support/special-harness.ts';

test('a task node calls its tools through invokeTool with keys <node run key>:tool:<index>; unoffered tools are refused', async () => {
  const h = await specialHarness();
  try {
    h.model('agent', [{
      match: 'Write the notes',
      tool_calls: [
        { name: 'write_file', arguments: { path: 'notes/summary.txt', content: 'summary of {{input.topic}}' } },
        { name: 'memory', arguments: { op: 'add', text: 'wrote notes about {{input.topic}}' } },
        { name: 'run_command', arguments: { program: 'ls' } },
      ],
      output: 'done',
    }]);
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'agent', type: 'task', config: { model: 'agent', prompt: 'Write the notes about {{input.topic}}', tools: ['write_file', 'memory'] } },
        { id: 'done', type: 'end' },
      ],
      ['start>agent', 'agent>done'],
    );
    const runId = await h.run(doc, { topic: 'tides' });
    const run = await h.wait(runId);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(run.output, { text: 'done' });
    assert.equal(readFileSync(path.join(h.workspaces, runId, 'notes/summary.txt'), 'utf8'), 'summary of tides');
    assert.equal(h.counts.memory_add, 1);
    const key = run.node_runs.find((r) => r.node_id === 'agent')!.idempotency_key;
    assert.equal((await h.ledger.get(`${key}:tool:0`))?.tool, 'write_file');
    assert.equal((await h.ledger.get(`${key}:tool:1`))?.tool, 'memory');
    const refused = await h.audit.list({ idempotency_key: `${key}:tool:2` });
    assert.deepEqual(refused.map((a) => [a.tool, a.status, a.error?.code]), [['run_command', 'failed', 'tool_unknown']]);
    assert.equal(refused[0]?.correlation_id, 'corr-test');
  } finally {
    await h.stop();
  }
});
