/**
 * Flowchart editor in a real browser against a real server: building a flowchart by drag and drop (decision and
 * join), saving it as a new version, and validation problems shown on the offending node.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { byTestId, screenshot, waitFor, waitForGone } from './support/browser.ts';
import { clickEdge, clickNode, connectHandles, dragFromPalette, waitForCanvasIdle, zoomOutTo } from './support/canvas.ts';
import { triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

describe('flowchart editor', () => {
  const studio = useStudio();

  // The per-test timeout only guards against a hang (every step waits for DOM or server state): ~40 gestures that each
  // wait for the canvas to settle took 90 s with two suites running under two busy loops on 2 cores.
  test('a flowchart with a decision and a join is built by drag and drop from the palette and saved as version 2', { timeout: 300_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('classifier', triageResponses());
    // A few existing flowcharts, so the list (and its screenshot) is not empty.
    await server.flowchart(triageDoc('Ticket triage', 'classifier'));
    await server.flowchart({ ...triageDoc('Release notes', 'classifier'), description: 'Draft, review and publish release notes.' });

    await studio.withPage(async ({ page, go }) => {
      await go('/flowcharts');
      await waitFor(page, 'flowchart-table');
      await screenshot(page, 'flowcharts-list');

      await byTestId(page, 'new-flowchart').click();
      await byTestId(page, 'new-flowchart-name').fill('Drag and drop triage');
      await byTestId(page, 'create-flowchart').click();
      await waitFor(page, 'flowchart-editor');
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      const flowchartId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

      // Room for seven nodes: zoom out, then replace the template's start → end connector.
      await zoomOutTo(page, 0.6);
      await clickEdge(page, 'e1');
      await waitFor(page, 'connector-e1');
      await page.keyboard.press('Delete');
      await page.locator('[data-testid="rf__edge-e1"]').waitFor({ state: 'detached' });

      const decision = await dragFromPalette(page, 'decision', { fx: 0.15, fy: 0.15 });
      const bug = await dragFromPalette(page, 'task', { fx: 0.45, fy: 0.08 });
      const other = await dragFromPalette(page, 'task', { fx: 0.45, fy: 0.28 });
      const join = await dragFromPalette(page, 'task', { fx: 0.78, fy: 0.15 });
      assert.deepEqual([decision, bug, other, join], ['decision', 'task', 'task_2', 'task_3']);

      await connectHandles(page, 'start', decision);
      const toBug = await connectHandles(page, decision, bug);
      const toOther = await connectHandles(page, decision, other);
      await connectHandles(page, bug, join);
      await connectHandles(page, other, join);
      await connectHandles(page, join, 'end');

      // Unconfigured tasks are flagged on the canvas until they get a model.
      await waitFor(page, `node-issue-${bug}`, { 'data-code': 'schema_invalid' });
      for (const id of [bug, other, join]) {
        await clickNode(page, id);
        await waitFor(page, 'node-form', { 'data-node-id': id });
        await byTestId(page, 'config-model').selectOption('classifier');
        await byTestId(page, 'config-prompt').fill(`Handle {{input.text}} (${id})`);
      }

      await clickNode(page, decision);
      await byTestId(page, 'tab-routing').click();
      await byTestId(page, `condition-${toBug}`).fill("output.text = 'bug'");
      await byTestId(page, `route-key-${toBug}`).fill('bug');
      await byTestId(page, `fallback-${toOther}`).check();
      await byTestId(page, `route-key-${toOther}`).fill('other');

      await clickNode(page, join);
      await byTestId(page, 'tab-routing').click();
      await waitFor(page, 'fan-in-editor');
      assert.match((await byTestId(page, 'fan-in-editor').textContent()) ?? '', /2 incoming trigger connectors — this node is a join/);
      await byTestId(page, 'fan-in-policy').selectOption('inclusive');

      await byTestId(page, 'layout-button').click();
      await waitForCanvasIdle(page);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await waitFor(page, 'problems', { 'data-errors': '0' });
      await byTestId(page, 'save-button').click();
      await waitFor(page, 'flowchart-version', { 'data-version': '2' });
      await waitForGone(page, 'dirty-indicator');

      await clickNode(page, decision);
      await byTestId(page, 'tab-routing').click();
      await waitFor(page, `connector-${toBug}`);
      await screenshot(page, 'editor');

      // The server stored exactly what was drawn.
      const saved = await server.api<{ version: number; document: FlowchartDocument }>('GET', `/api/flowcharts/${encodeURIComponent(flowchartId)}`);
      assert.equal(saved.version, 2);
      const doc = saved.document;
      const types = Object.fromEntries(doc.nodes.map((n) => [n.id, n.type]));
      assert.deepEqual(types, { start: 'start', end: 'end', decision: 'decision', task: 'task', task_2: 'task', task_3: 'task' });
      const pairs = doc.edges.map((e) => `${e.source}>${e.target}`).sort();
      assert.deepEqual(pairs, ['decision>task', 'decision>task_2', 'start>decision', 'task>task_3', 'task_2>task_3', 'task_3>end']);
      const byId = new Map(doc.edges.map((e) => [e.id, e]));
      assert.equal(byId.get(toBug)?.condition, "output.text = 'bug'");
      assert.equal(byId.get(toBug)?.route_key, 'bug');
      assert.equal(byId.get(toOther)?.fallback, true);
      assert.deepEqual(doc.nodes.find((n) => n.id === join)?.fan_in, { policy: 'inclusive' });
      assert.ok(doc.nodes.every((n) => typeof n.ui?.x === 'number' && typeof n.ui?.y === 'number'), 'positions are saved in ui.x / ui.y');
    });
  });

  test('a validation error is shown on the offending node with its spec code, and fixing it clears it', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('validator-model', triageResponses());
    const id = await server.flowchart(triageDoc('Validation demo', 'validator-model'));

    await studio.withPage(async ({ page, go }) => {
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await waitFor(page, 'node-route');
      assert.equal(await page.locator('[data-testid^="node-issue-"]').count(), 0);

      // Clearing the condition of a non-fallback connector of a deterministic decision is an error on that decision.
      await clickNode(page, 'route');
      await byTestId(page, 'tab-routing').click();
      await byTestId(page, 'condition-e3').fill('');
      const issue = await waitFor(page, 'node-issue-route', { 'data-code': 'decision_condition_missing' });
      assert.match((await issue.textContent()) ?? '', /decision_condition_missing/);
      await waitFor(page, 'node-route', { 'data-issue': 'error' });
      await waitFor(page, 'edge-issue-e3', { 'data-code': 'decision_condition_missing' });
      await waitFor(page, 'problem', { 'data-code': 'decision_condition_missing', 'data-severity': 'error' });
      await waitFor(page, 'validation-status', { 'data-valid': 'false' });
      // Clicking the problem selects the node it concerns and zooms the canvas to it.
      await page.locator('[data-testid="problem"][data-code="decision_condition_missing"]').click();
      await waitFor(page, 'node-route', { 'data-issue': 'error' });
      await waitForCanvasIdle(page);
      await screenshot(page, 'editor-validation-error');

      // An unparsable condition is caught as you type, before the server answers.
      await byTestId(page, 'condition-e3').fill("output.text = 'bug");
      await waitFor(page, 'condition-error-e3');
      await waitFor(page, 'edge-issue-e3', { 'data-code': 'condition_invalid' });

      // Fixing it removes the problem from the node, the connector and the problems list.
      await byTestId(page, 'condition-e3').fill("output.text = 'bug'");
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await waitForGone(page, 'node-issue-route');
      await waitForGone(page, 'edge-issue-e3');
      await waitFor(page, 'problems', { 'data-errors': '0' });
      await waitFor(page, 'node-route');
      assert.equal(await byTestId(page, 'node-route').getAttribute('data-issue'), null);
    });
  });
});
