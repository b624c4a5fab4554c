import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlowchart } from '@llmctl/engine';
import { parseScriptedResponses } from '@llmctl/providers';
import { createRepositories } from '@llmctl/store';
import { readSamples, seedSamples } from '@llmctl/server';
import { startTestServer } from './support/test-server.ts';

test('every sample flowchart is valid and uses only the seeded offline scripted model', async () => {
  const { models, flowcharts } = await readSamples();
  assert.deepEqual(models.map((m) => [m.name, m.provider]), [['demo-scripted', 'scripted']]);
  assert.ok(parseScriptedResponses(models[0]!.settings).length > 0);
  assert.ok(flowcharts.length >= 2);
  for (const doc of flowcharts) {
    const result = validateFlowchart(doc, { modelExists: (n) => n === 'demo-scripted' });
    assert.deepEqual(result.errors, [], doc.name);
  }
});

test('samples are seeded only into an empty flowcharts table', async () => {
  const s = await startTestServer();
  try {
    const repos = createRepositories(s.db.pool);
    const first = await seedSamples(repos);
    assert.deepEqual(first.models, ['demo-scripted']);
    assert.ok(first.flowcharts.includes('Ticket triage'));
    const list = await s.request('GET', '/api/flowcharts?sort=name');
    assert.equal(list.body.page.total, first.flowcharts.length);
    const second = await seedSamples(repos);
    assert.deepEqual(second, { models: [], flowcharts: [] });
    const model = await s.request('GET', '/api/models?q=demo-scripted');
    assert.equal(model.body.data[0].label, 'scripted (offline)');
  } finally {
    await s.close();
  }
});
