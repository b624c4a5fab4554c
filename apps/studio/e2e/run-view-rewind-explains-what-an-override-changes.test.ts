/**
 * Rewind with an override from the run view: the form says what the override replaces, an override the node never
 * reads is refused with that explanation (nothing changes), and one it reads takes effect.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument, Run } from '@llmctl/contracts';
import { byTestId, waitFor, waitForGone } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { useStudio } from './support/suite.ts';

const doc = (model: string): FlowchartDocument => ({
  schema_version: 1, name: 'Rewind override',
  nodes: [
    { id: 'start', type: 'start' },
    { id: 'classify', type: 'task', config: { model, prompt: 'Classify: {{input.text}}' } },
    { id: 'summarize', type: 'task', config: { model, prompt: 'Summarize: {{upstream.classify.text}}' } },
    { id: 'done', type: 'end' },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'classify' }, { id: 'e2', source: 'classify', target: 'summarize' }, { id: 'e3', source: 'summarize', target: 'done' }],
});

describe('run view: rewind with an override', () => {
  const studio = useStudio();

  test('an override the rewound node never reads is refused with what it can change; one it reads reruns the node with it', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('rewind-e2e', [{ match: 'Classify', output: 'bug' }, { match: 'Summarize', output: 'sum of {{upstream.classify.text}}' }]);
    const runId = await server.startRun(await server.flowchart(doc('rewind-e2e')), { text: 'crash' });
    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 30_000);
      await clickNode(page, 'classify');
      await byTestId(page, 'control-rewind').click();
      assert.match((await byTestId(page, 'rewind-override-hint').textContent()) ?? '', /upstream\.start[\s\S]*rewind the start node/);
      await byTestId(page, 'control-rewind-json').fill('{ "text": "login fails" }');
      await byTestId(page, 'control-rewind-confirm').click();
      await waitFor(page, 'api-error', { 'data-code': 'input_override_not_read' });
      assert.match((await byTestId(page, 'api-error-message').textContent()) ?? '', /never read upstream/);
      assert.equal((await server.run(runId)).status, 'succeeded');

      await clickNode(page, 'summarize');
      await byTestId(page, 'control-rewind').click();
      await byTestId(page, 'control-rewind-json').fill('{ "text": "overridden" }');
      await byTestId(page, 'control-rewind-confirm').click();
      // The form closes once the rewind is committed; then the run runs again to its end.
      await waitForGone(page, 'control-form-rewind');
      const run = await server.api<Run>('GET', `/api/runs/${encodeURIComponent(runId)}?wait_s=30`);
      assert.equal(run.status, 'succeeded');
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' });
      const latest = (run.node_runs ?? []).filter((n) => n.node_id === 'summarize' && n.status === 'succeeded').at(-1)!;
      assert.ok(latest.rewound_from, 'summarize ran again');
      assert.deepEqual(latest.output, { text: 'sum of overridden' });
    });
  });
});
