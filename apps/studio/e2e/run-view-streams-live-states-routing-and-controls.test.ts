/**
 * Run view in a real browser against a real server: live node states over Socket.IO (the run view never polls), the
 * routing inspector of a decision, pause / resume, and retrying a failed node run.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { byTestId, screenshot, waitFor } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { HOLD_MS, lineDoc, triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

/** Records every `data-state` each run-graph node shows, from the first paint on (installed before navigation). */
async function recordNodeStates(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { __nodeStates: Record<string, string[]> }).__nodeStates = seen;
    const note = (el: Element): void => {
      const id = el.getAttribute('data-testid')?.replace(/^node-state-/, '');
      const st = el.getAttribute('data-state');
      if (!id || !st) return;
      const list = (seen[id] ??= []);
      if (list[list.length - 1] !== st) list.push(st);
    };
    new MutationObserver(() => document.querySelectorAll('[data-testid^="node-state-"]').forEach(note)).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

function nodeStates(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => (window as unknown as { __nodeStates: Record<string, string[]> }).__nodeStates);
}

describe('run view', () => {
  const studio = useStudio();

  test('a run started from the editor shows live node states and the routing inspector of its decision', { timeout: 60_000 }, async () => {
    const { server } = studio;
    // The classifier's answer is held until the page has shown it running, so the run is live whatever the load.
    const model = await server.scriptedModel('triage-live', triageResponses(HOLD_MS));
    const fc = await server.flowchart(triageDoc('Ticket triage', 'triage-live'));

    await studio.withPage(async ({ page, go }) => {
      await recordNodeStates(page);
      await go(`/flowcharts/${encodeURIComponent(fc)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await byTestId(page, 'run-button').click();
      await byTestId(page, 'run-input').fill('{ "text": "crash on save" }');
      await byTestId(page, 'run-start').click();
      await waitFor(page, 'run-view');
      const runId = (await byTestId(page, 'run-view').getAttribute('data-run-id'))!;

      await waitFor(page, 'live-status', { 'data-status': 'live' });
      await waitFor(page, 'node-state-classify', { 'data-state': 'running' });
      await waitFor(page, 'node-state-route', { 'data-state': 'idle' });
      // Release the held answer (the model now answers at once; pause now + resume restarts the classifier).
      await server.release(runId, model, triageResponses(0));
      // Everything after this point reaches the page over the socket (the run view does not poll).
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 30_000);
      for (const n of ['start', 'classify', 'route', 'fix', 'merge', 'done']) await waitFor(page, `node-state-${n}`, { 'data-state': 'succeeded' });
      await waitFor(page, 'node-state-reply', { 'data-state': 'not_taken' }); // the branch not taken, once the run is finished
      const seen = await nodeStates(page);
      assert.ok(seen.classify?.includes('running') && seen.classify.at(-1) === 'succeeded', `classify went running → succeeded live: ${JSON.stringify(seen.classify)}`);
      assert.deepEqual([seen.route?.[0], seen.route?.at(-1)], ['idle', 'succeeded'], `route went idle → succeeded live: ${JSON.stringify(seen.route)}`);
      assert.ok(!seen.reply?.includes('succeeded'), 'the branch not taken never ran');

      // Routing inspector of the decision's node run.
      await clickNode(page, 'route');
      await waitFor(page, 'node-run-panel');
      await byTestId(page, 'tab-routing').click();
      await waitFor(page, 'routing-inspector', { 'data-routing-state': 'matched' });
      assert.equal((await byTestId(page, 'routing-route-key').textContent())?.trim(), 'bug');
      await waitFor(page, 'routing-connector-e3', { 'data-matched': 'true' });
      await waitFor(page, 'routing-connector-e4', { 'data-matched': 'false' });
      assert.match((await byTestId(page, 'routing-connector-e3').textContent()) ?? '', /output\.text = 'bug'[\s\S]*true/);
      await waitFor(page, 'edge-label-e3', { 'data-highlight': 'selected' });
      await screenshot(page, 'run-view-routing');

      // The page agrees with the server's record.
      const run = await server.run(runId);
      assert.equal(run.status, 'succeeded');
      const route = (run.node_runs ?? []).find((n) => n.node_id === 'route');
      assert.deepEqual(route?.routing?.matched_connector_ids, ['e3']);
      assert.equal(route?.routing?.route_key, 'bug');
      assert.equal(await page.locator('[data-testid^="node-run-"][data-node-id]').count(), (run.node_runs ?? []).length);
    });
  });

  test('a live run is paused and resumed from the run view', { timeout: 60_000 }, async () => {
    const { server } = studio;
    // step1 is held (it answers only when aborted), so the run is running whenever the page acts.
    const model = await server.scriptedModel('pacer', [{ match: 'Step', output: 'ok', delay_ms: HOLD_MS }]);
    const fc = await server.flowchart(lineDoc('Two slow steps', 'pacer', ['step1', 'step2']));
    const runId = await server.startRun(fc, {});

    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'live-status', { 'data-status': 'live' });
      await waitFor(page, 'node-state-step1', { 'data-state': 'running' });
      // Pause now interrupts the held step (the click waits for the button to be enabled).
      await byTestId(page, 'control-pause-now').check();
      await byTestId(page, 'control-pause').click();
      await waitFor(page, 'run-status', { 'data-status': 'paused' }, 30_000);
      assert.equal(await byTestId(page, 'control-pause').isDisabled(), true);
      assert.equal(await byTestId(page, 'control-resume').isEnabled(), true);
      // Nothing is dispatched while paused: the end node has not run.
      await waitFor(page, 'node-state-done', { 'data-state': 'idle' });
      assert.equal((await server.run(runId)).status, 'paused');

      // From now on the steps answer at once; resume dispatches the interrupted step again.
      await server.setResponses(model, [{ match: 'Step', output: 'ok' }]);
      await byTestId(page, 'control-resume').click();
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 30_000);
      await waitFor(page, 'node-state-done', { 'data-state': 'succeeded' });
      assert.equal(await byTestId(page, 'control-resume').isDisabled(), true);

      const types = (await server.events(runId)).map((e) => e.event_type);
      assert.equal(types.filter((t) => t === 'flowchart:run:control').length, 2, `one control event per action: ${types.join(', ')}`);
    });
  });

  test('a failed node run is retried from the run view and the run succeeds', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('flaky', [{ match: 'Step', output: 'recovered', fail_times: 1 }]);
    const fc = await server.flowchart(lineDoc('Flaky step', 'flaky', ['flaky']));
    const runId = await server.startRun(fc, {});

    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'run-status', { 'data-status': 'failed' }, 30_000);
      await waitFor(page, 'node-state-flaky', { 'data-state': 'failed' });
      await waitFor(page, 'run-error');
      await waitFor(page, 'live-status', { 'data-status': 'live' });

      await clickNode(page, 'flaky');
      await waitFor(page, 'node-run-panel');
      const failedId = (await byTestId(page, 'node-run-panel').getAttribute('data-node-run-id'))!;
      await waitFor(page, 'node-run-error', { 'data-code': 'provider_unavailable' });
      await byTestId(page, 'control-retry').click();

      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 30_000);
      await waitFor(page, 'node-state-flaky', { 'data-state': 'succeeded' });
      await waitFor(page, 'node-state-done', { 'data-state': 'succeeded' });
      // The timeline keeps both attempts of the node: the failed one and its retry.
      const rows = page.locator('[data-testid^="node-run-"][data-node-id="flaky"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid^="node-run-"][data-node-id="flaky"]').length === 2);
      assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), ['failed', 'succeeded']);

      const run = await server.run(runId);
      const retry = (run.node_runs ?? []).find((n) => n.node_id === 'flaky' && n.retry_of === failedId);
      assert.ok(retry, 'the new node run is a retry of the failed one');
      assert.equal(retry.status, 'succeeded');
    });
  });
});
