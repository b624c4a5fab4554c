/**
 * A waiting join, live, in a real browser: start fans out to a fast and a held branch that meet in an `all` join.
 * While the held branch runs, the join shows the fast connector delivered and the held one waiting (from the
 * socket's token.enqueued event, folded by the engine's shared projection); when the held branch is released the join
 * fires and stops waiting. A `count` join that fired without the held branch shows that branch's late token as
 * discarded (join.discarded). Gated on the server's event log and the DOM, never on a delay.
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

/** A `count: 2` join of three branches, one held, and no end node: the run ends when the late token is discarded. */
function countDoc(model: string): FlowchartDocument {
  return {
    schema_version: 1, name: 'Join discards',
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'fast', type: 'task', name: 'Fast', config: { model, prompt: 'Fast work' } },
      { id: 'quick', type: 'task', name: 'Quick', config: { model, prompt: 'Quick work' } },
      { id: 'slow', type: 'task', name: 'Slow', config: { model, prompt: 'Slow work' } },
      { id: 'merge', type: 'task', name: 'Merge', config: { model, prompt: 'Merge two' }, fan_in: { policy: 'count', count: 2 } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'fast' }, { id: 'e2', source: 'start', target: 'slow' }, { id: 'e6', source: 'start', target: 'quick' },
      { id: 'e3', source: 'fast', target: 'merge' }, { id: 'e4', source: 'slow', target: 'merge' }, { id: 'e7', source: 'quick', target: 'merge' },
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
      assert.match((await byTestId(page, 'join-connector-merge-e4').textContent()) ?? '', /waiting — Slow is running/);
      const events = await server.events(runId);
      assert.ok(events.some((e) => e.event_type === 'flowchart:join:updated'), 'the server logged the token');
      await screenshot(page, 'run-view-join-waiting');

      await server.release(runId, model, [{ output: 'ok' }]);
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 60_000);
      await waitForGone(page, 'join-merge');
    });
  });

  test('a count join that fired without a branch shows its late token as discarded, live', { timeout: 120_000 }, async () => {
    const { server } = studio;
    const model = await server.scriptedModel('join-discard-e2e', [{ match: 'Slow', output: 'slow done', delay_ms: HOLD_MS }, { output: 'ok' }]);
    const fc = await server.flowchart(countDoc('join-discard-e2e'));
    const runId = await server.startRun(fc);
    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      // fast and quick deliver; the join fires with them (merge succeeds) while slow is still held
      await page.locator('[data-node-id="merge"][data-status="succeeded"]').first().waitFor({ state: 'attached', timeout: 60_000 });
      await server.release(runId, model, [{ output: 'ok' }]);
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 60_000);
      await waitFor(page, 'join-discarded-merge-e4', { 'data-reason': 'join.discarded' }, 60_000);
      assert.match((await byTestId(page, 'join-discarded-merge').textContent()) ?? '', /e4 from Slow/);
      const events = await server.events(runId) as { event_type: string; payload?: { kind?: string } }[];
      assert.ok(events.some((e) => e.payload?.kind === 'join.discarded'), 'the server logged the discard');
      await screenshot(page, 'run-view-join-discarded');
    });
  });
});
