import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowchartFileName, flowchartFileText, parseFlowchartFile } from '../src/core/flowchart-file.ts';

test('an exported flowchart file reads back as the same document; wrapped API objects are accepted', () => {
  const doc = { schema_version: 1, name: 'Ticket triage', nodes: [{ id: 'start', type: 'start' }], edges: [] };
  assert.deepEqual(parseFlowchartFile(flowchartFileText(doc)), { ok: true, document: doc });
  assert.deepEqual(parseFlowchartFile(JSON.stringify({ id: 'fc_1', version: 3, document: doc })), { ok: true, document: doc });
});

test('files that hold no document are refused with a message', () => {
  assert.match((parseFlowchartFile('{oops') as { error: string }).error, /not JSON/);
  assert.match((parseFlowchartFile('[1]') as { error: string }).error, /JSON object/);
  assert.match((parseFlowchartFile('{"name":"x"}') as { error: string }).error, /no "nodes" list/);
});

test('file names are safe and end in .flowchart.json', () => {
  assert.equal(flowchartFileName('Ticket triage / v2'), 'Ticket-triage-v2.flowchart.json');
  assert.equal(flowchartFileName('  '), 'flowchart.flowchart.json');
});
