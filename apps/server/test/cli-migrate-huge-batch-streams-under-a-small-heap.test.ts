/**
 * A 10,000-flowchart export goes through `llmctl migrate` with a 96 MB heap: reports are analysed and written one at
 * a time (the ~56 MB of report JSON could not be held at once under that cap: JSON.parse of it alone runs out of heap).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnv, runCli } from './support/cli.ts';

function bulkFlowchart(id: number) {
  const tasks = [2, 3, 4, 5, 6, 7, 8, 9].map((k) => ({ id: k, node_type: 'task', config: { task_prompt: 'p' }, model_id: 7, script_ids: [1, 2], skill_ids: [3], attachment_ids: [4] }));
  return {
    flowchart: { id, name: `bulk-${id}`, max_node_executions: 10, max_runtime_minutes: 5, max_parallel_nodes: 2 },
    nodes: [{ id: 1, node_type: 'start' }, ...tasks, { id: 10, node_type: 'end' }],
    edges: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => ({ id: k, source_node_id: k, target_node_id: k + 1 })),
  };
}

test('10,000 flowcharts stream through llmctl migrate with a 96 MB heap', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmctl-migrate-huge-'));
  try {
    const input = join(dir, 'huge.json');
    writeFileSync(input, JSON.stringify({ flowcharts: Array.from({ length: 10_000 }, (_, i) => bulkFlowchart(i + 1)) }));
    writeFileSync(join(dir, 'map.json'), '{"7": "demo"}');
    const out = join(dir, 'report.json');
    const r = await runCli(['migrate', input, '--model-map', join(dir, 'map.json'), '--report-json', out], { ...cliEnv(), NODE_OPTIONS: '--max-old-space-size=96' });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    // (stdout is not asserted: support/cli.ts resolves on 'exit', which may come before a large pipe is drained)
    const batch = JSON.parse(readFileSync(out, 'utf8')) as { flowchart_count: number; reports: { source: { legacy_id: number }; issues: unknown[] }[] };
    assert.equal(batch.flowchart_count, 10_000);
    assert.equal((batch as unknown as { ready_count: number }).ready_count, 10_000);
    assert.equal(batch.reports.length, 10_000);
    assert.equal(batch.reports[9_999]!.source.legacy_id, 10_000);
    assert.equal(batch.reports[0]!.issues.length, 24);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
