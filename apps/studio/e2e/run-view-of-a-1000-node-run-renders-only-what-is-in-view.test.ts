/**
 * The run view of a 1,000-node run uses the editor's big-graph machinery: opened fitted to the whole run it is drawn by
 * the low-detail layer (no node or connector elements in the DOM), where a click selects the node run under it; zoomed
 * in to 100 % only the nodes in view are rendered, each with its live state; the timeline of its 992 node runs renders
 * only the rows scrolled into view.
 * State-gated: every wait is on the DOM or the API, none on time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from '@llmctl/contracts';
import type { Page } from 'playwright-core';
import { byTestId, waitFor } from './support/browser.ts';
import { canvasZoom, gridNodeNearCentre, rfNode, waitForCanvasIdle, zoomInTo } from './support/canvas.ts';
import { thousandNodes } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

const count = (page: Page, css: string): Promise<number> => page.locator(css).count();

describe('run view of a 1,000-node run', () => {
  const studio = useStudio();

  test('is drawn by the low-detail layer when fitted, selects a node run there, and renders a bounded number of nodes at 100 %', { timeout: 240_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('thousand-run', [{ output: 'ok' }]);
    // Every node runs once (992 node executions: above the default guardrail of 500).
    const doc = { ...thousandNodes('thousand-run'), settings: { max_node_executions: 2000 } };
    const runId = await server.startRun(await server.flowchart(doc));
    let run = await server.run(runId);
    for (let i = 0; run.status !== 'succeeded' && i < 20; i++) run = await server.api<Run>('GET', `/api/runs/${encodeURIComponent(runId)}?wait_s=10`);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const nodeRunOf = new Map((run.node_runs ?? []).map((n) => [n.node_id, n.id]));
    assert.equal(nodeRunOf.size, doc.nodes.length, 'every node ran');

    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' });
      await waitFor(page, 'run-graph', { 'data-culled': 'true' });

      // Fitted to the whole run (far below the readable zoom): the layer draws it, React Flow holds no elements.
      await waitFor(page, 'low-detail-layer');
      await waitForCanvasIdle(page);
      assert.ok((await canvasZoom(page)) < 0.6, 'the whole run is shown below the low-detail zoom');
      assert.equal(await count(page, '.react-flow__node'), 0, 'no node elements at low detail');
      assert.equal(await count(page, '.react-flow__edge'), 0, 'no connector elements at low detail');

      // A click on a drawn node selects that node's run.
      const at = await gridNodeNearCentre(page);
      await page.mouse.click(at.x, at.y);
      await waitFor(page, 'node-run-panel', { 'data-node-run-id': nodeRunOf.get(at.id)! });

      // At 100 % the nodes in view are rendered (with their state), a bounded number of them, not the thousand.
      await zoomInTo(page, 1);
      await waitForCanvasIdle(page);
      await page.waitForFunction(() => document.querySelector('[data-testid="low-detail-layer"]') === null);
      await rfNode(page, at.id).waitFor({ state: 'visible' });
      await waitFor(page, `node-state-${at.id}`, { 'data-state': 'succeeded' });
      const nodes = await count(page, '.react-flow__node');
      const edges = await count(page, '.react-flow__edge');
      assert.ok(nodes > 0 && nodes <= 120, `${nodes} node elements in the DOM at 100 %`);
      assert.ok(edges <= 150, `${edges} connector elements in the DOM at 100 %`);
      assert.equal(await rfNode(page, 'start').count(), 0, 'the start node, far to the left, is not rendered');
      assert.equal(await rfNode(page, 'done').count(), 0, 'the end node, far to the right, is not rendered');
      assert.ok(await byTestId(page, 'minimap').isVisible(), 'the canvas minimap shows the whole run');

      // The timeline below lists every node run but renders only the rows scrolled into view.
      const timeline = byTestId(page, 'run-timeline');
      assert.equal(await timeline.getAttribute('data-rows'), String(doc.nodes.length));
      const rows = (): Promise<number> => count(page, '[data-testid="run-timeline"] tr[data-row]');
      const first = await rows();
      assert.ok(first > 0 && first <= 100, `${first} timeline rows in the DOM`);
      await timeline.evaluate((t) => {
        const scroller = t.parentElement!;
        scroller.scrollTop = scroller.scrollHeight;
      });
      await page.locator(`[data-testid="run-timeline"] tr[data-row="${doc.nodes.length - 1}"]`).waitFor({ state: 'visible' });
      assert.equal(await page.locator('[data-testid="run-timeline"] tr[data-row="0"]').count(), 0, 'the first row left the DOM');
      const last = await rows();
      assert.ok(last > 0 && last <= 100, `${last} timeline rows in the DOM after scrolling to the end`);
    });
  });
});
