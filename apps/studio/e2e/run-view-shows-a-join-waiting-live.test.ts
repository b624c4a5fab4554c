/**
 * A waiting join, live, in a real browser: start fans out to a fast and a held branch that meet in an `all` join.
 * While the held branch runs, the join shows the fast connector delivered and the held one waiting (from the
 * socket's token.enqueued event); when the held branch is released the join fires and stops waiting. Gated on the
 * server's event log and the DOM, never on a delay.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { byTestId, screenshot, waitFor, waitForGone } from './support/browser.ts';
import { HOLD_MS } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

function doc(model: string): FlowchartDocument {
  return {
    schema_version: 1, name: 'Join waits',
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'fast', type: 'task', name: 'Fast', config: { model, prompt: 'Fast work' } },
      { id: 'slow', type: 'task', name: 'Slow', config: { model, prompt: 'Slow work' } },
      { id: 'merge', type: 'task', name: 'Merge', config: { model, prompt: 'Merge both' }, fan_in: { policy: 'all' } },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'fast' }, { id: 'e2', source: 'start', target: 'slow' },
      { id: 'e3', source: 'fast', target: 'merge' }, { id: 'e4', source: 'slow', target: 'merge' },
      { id: 'e5', source: 'merge', target: 'done' },
    ],
  };
}

describe('run view: joins', () => {
  const studio = useStudio();

  test('a join shows which connector delivered and which it waits for, live, until it fires', { timeout: 120_000 }, async () => {
    const { server } = studio;
    const model = await server.scriptedModel('join-e2e', [{ match: 'Slow', output: 'slow done', delay_ms: HOLD_MS }, { output: 'ok' }]);
    const fc = await server.flowchart(doc('join-e2e'));
    const runId = await server.startRun(fc);
    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'join-merge', { 'data-held': '1' }, 60_000);
      await waitFor(page, 'join-connector-merge-e3', { 'data-state': 'delivered' });
      await waitFor(page, 'join-connector-merge-e4', { 'data-state': 'waiting' });
      assert.match((await byTestId(page, 'join-merge').textContent()) ?? '', /all: waits for every connector/);
      const events = await server.events(runId);
      assert.ok(events.some((e) => e.event_type === 'flowchart:join:updated'), 'the server logged the token');
      await screenshot(page, 'run-view-join-waiting');

      await server.release(runId, model, [{ output: 'ok' }]);
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 60_000);
      await waitForGone(page, 'join-merge');
    });
  });
});
