/**
 * The runs list is live over the socket (new runs appear, statuses change) and shows flowchart names, with filters by
 * flowchart, status and creation time; the events panel expands to payloads and filters by node; an attempt
 * interrupted by pause-now reads "interrupted by pause" (not failed); a finished run's untaken branch reads "not
 * taken"; a failed run's output panel shows the error. Gated on DOM and server state, never on delays.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, sel, waitFor, waitForGone } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { HOLD_MS, lineDoc, triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

describe('runs list and events panel', () => {
  const studio = useStudio();

  test('a new run appears in the open runs list and its status changes live; names and filters work', { timeout: 90_000 }, async () => {
    const { server } = studio;
    const model = await server.scriptedModel('list-live', [{ match: 'Step', output: 'ok', delay_ms: HOLD_MS }]);
    const fc = await server.flowchart(lineDoc('Nightly digest', 'list-live', ['step1']));
    const other = await server.flowchart(lineDoc('Other flow', 'list-live', ['step1']));
    await studio.withPage(async ({ page, go }) => {
      await go('/runs');
      await waitFor(page, 'runs-flowchart-filter');
      await page.waitForSelector(`${sel('runs-flowchart-filter')} option[value="${fc}"]`, { state: 'attached' });
      const runId = await server.startRun(fc, { n: 1 });
      // No reload, no refresh click: the run arrives over the socket.
      await waitFor(page, `run-row-${runId}`);
      assert.equal((await byTestId(byTestId(page, `run-row-${runId}`), 'run-row-flowchart').textContent())?.trim(), 'Nightly digest');
      await waitFor(page, `run-row-${runId}`);
      await page.waitForSelector(`${sel(`run-row-${runId}`)} ${sel('run-row-status', { 'data-status': 'running' })}`);
      await server.release(runId, model, [{ match: 'Step', output: 'ok' }]);
      await page.waitForSelector(`${sel(`run-row-${runId}`)} ${sel('run-row-status', { 'data-status': 'succeeded' })}`);

      const otherRun = await server.startRun(other, {});
      await waitFor(page, `run-row-${otherRun}`);
      await byTestId(page, 'runs-flowchart-filter').selectOption(fc);
      await waitForGone(page, `run-row-${otherRun}`);
      await waitFor(page, `run-row-${runId}`);
      await byTestId(page, 'runs-status-filter').selectOption('running');
      await waitForGone(page, `run-row-${runId}`);
      await byTestId(page, 'runs-status-filter').selectOption('');
      await byTestId(page, 'runs-since-filter').selectOption('1h');
      await waitFor(page, `run-row-${runId}`);
      assert.match(page.url(), /since=1h/);
      await screenshot(page, 'runs-list');
    });
  });

  test('events expand to their payloads and filter by node; pause-now reads "interrupted by pause"; untaken branches read "not taken"', { timeout: 90_000 }, async () => {
    const { server } = studio;
    const model = await server.scriptedModel('events-panel', triageResponses(HOLD_MS));
    const runId = await server.startRun(await server.flowchart(triageDoc('Events panel', 'events-panel')), { text: 'crash' });
    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'node-state-classify', { 'data-state': 'running' });
      await byTestId(page, 'control-pause-now').check();
      assert.match((await byTestId(page, 'control-pause-now-hint').textContent()) ?? '', /interrupts running nodes/);
      await byTestId(page, 'control-pause').click();
      await waitFor(page, 'run-status', { 'data-status': 'paused' }, 30_000);
      await server.setResponses(model, triageResponses(0));
      await byTestId(page, 'control-resume').click();
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 30_000);
      await waitFor(page, 'node-state-reply', { 'data-state': 'not_taken' });
      assert.equal((await byTestId(page, 'node-state-reply').textContent())?.trim(), 'not taken');

      await clickNode(page, 'classify');
      await waitFor(page, 'attempt-outcome', { 'data-code': 'interrupted' });
      assert.match((await byTestId(page, 'attempt-outcome').first().textContent()) ?? '', /interrupted by pause/);
      assert.equal(await byTestId(page, 'attempt-outcome').first().locator('.err-text').count(), 0, 'not shown as an error');

      await page.keyboard.press('Escape');
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'event-log');
      await byTestId(page, 'event-node-filter').selectOption('route');
      const rows = byTestId(page, 'event-row');
      await waitFor(page, 'event-row', { 'data-node-id': 'route' });
      const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
      assert.ok(ids.length > 0 && ids.every((id) => id === 'route'), `only route events: ${JSON.stringify(ids)}`);
      await rows.first().locator('summary').click();
      assert.match((await byTestId(rows.first(), 'event-payload').textContent()) ?? '', /"route"/);
    });
  });

  test('a failed run shows its error in the output panel', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('fails', [{ match: 'Step', output: 'x', fail_times: 5, fail_code: 'provider_unavailable' }]);
    const runId = await server.startRun(await server.flowchart(lineDoc('Failing flow', 'fails', ['step1'])), {});
    assert.equal((await server.api('GET', `/api/runs/${runId}?wait_s=30`)).status, 'failed');
    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'run-output-error', { 'data-code': 'provider_unavailable' });
    });
  });
});
