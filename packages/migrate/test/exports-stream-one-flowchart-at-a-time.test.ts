import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LlmctlError } from '@llmctl/contracts';
import { streamExportValues, type ExportValue } from '../src/index.ts';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function all(text: string, size = 3): Promise<ExportValue[]> {
  const out: ExportValue[] = [];
  for await (const v of streamExportValues(chunked(text, size))) out.push(v);
  return out;
}
const g = (id: number) => ({ flowchart: { id, name: `a "quoted" ]} name ${id}` }, nodes: [{ id: 1, node_type: 'start', config: { t: '{[,' } }], edges: [] });

test('the elements of a batch array are cut out one at a time, whatever the chunk boundaries', async () => {
  for (const size of [1, 2, 7, 4096]) {
    const arr = await all(JSON.stringify([g(1), g(2)], null, 1), size);
    assert.deepEqual(arr.map((v) => [v.path, v.element, (v.value as { flowchart: { id: number } }).flowchart.id]), [['[0]', true, 1], ['[1]', true, 2]]);
    const batch = await all(JSON.stringify({ note: { flowcharts: [9] }, flowcharts: [g(3), g(4), g(5)] }), size);
    assert.deepEqual(batch.map((v) => v.path), ['.flowcharts[0]', '.flowcharts[1]', '.flowcharts[2]']);
    assert.deepEqual(batch[2]!.value, g(5));
    const reports = await all(JSON.stringify({ contract_version: 'v1', reports: [{ pre_migration_snapshot: g(6) }] }), size);
    assert.deepEqual(reports.map((v) => v.path), ['.reports[0]']);
  }
});

test('a single graph object is parsed whole', async () => {
  const one = await all(JSON.stringify(g(7)));
  assert.deepEqual(one, [{ path: '', value: g(7), element: false }]);
});

test('malformed or truncated exports are migration_input_invalid with the element path', async () => {
  const bad = async (text: string, path: string) => assert.rejects(all(text), (e: unknown) => e instanceof LlmctlError && e.code === 'migration_input_invalid' && (e.details as { path: string }).path === path);
  await bad('{"flowcharts": [{"flowchart": {"id": 1}}, {"flowchart": {"id": 2}, nodes: []}]}', '.flowcharts[1]');
  await bad('[{"flowchart": {"id": 1}}, {"flowchart"', '');
  await bad('42', '');
  await bad('{"flowchart": {"id": 1}, "nodes": [', '');
});
