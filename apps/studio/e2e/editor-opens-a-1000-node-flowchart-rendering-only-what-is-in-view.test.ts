/**
 * A 1,000-node flowchart in the editor renders only what is in view: at the opening (readable, 100 %) zoom a bounded
 * number of node elements is in the DOM, a node panned into view is rendered and can be selected, and far below the
 * readable zoom the graph is drawn by the low-detail layer, where a click still selects the node under it and the
 * fit-view control fits the whole graph.
 * State-gated: every wait is on the DOM, none on time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { byTestId, waitFor } from './support/browser.ts';
import { canvasZoom, gridNodeNearCentre, rfNode, waitForCanvasIdle, waitForValidationIdle, zoomOutTo } from './support/canvas.ts';
import { thousandNodes } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

const nodeCount = (page: Page): Promise<number> => page.locator('.react-flow__node').count();

/** Drags the pane from the canvas's right edge to its left edge along its top strip (above the first lane). */
async function panLeft(page: Page): Promise<void> {
  const c = await byTestId(page, 'canvas').boundingBox();
  assert.ok(c);
  const y = c.y + 12;
  await page.mouse.move(c.x + c.width - 40, y);
  await page.mouse.down();
  await page.mouse.move(c.x + c.width / 2, y, { steps: 5 });
  await page.mouse.move(c.x + 40, y, { steps: 5 });
  await page.mouse.up();
  await waitForCanvasIdle(page);
}

/**
 * Pans (a drag on the pane's top strip) so the element's centre comes to the canvas centre: a node just rendered at the
 * right edge can lie under the inspector, where a click does not reach it.
 */
async function panToCentre(page: Page, el: Locator): Promise<void> {
  const [c, b] = await Promise.all([byTestId(page, 'canvas').boundingBox(), el.boundingBox()]);
  assert.ok(c && b);
  const dx = b.x + b.width / 2 - (c.x + c.width / 2);
  const y = c.y + 12;
  const from = Math.min(c.x + c.width - 40, Math.max(c.x + 40, c.x + c.width / 2 + dx));
  await page.mouse.move(from, y);
  await page.mouse.down();
  await page.mouse.move(from - dx, y, { steps: 5 });
  await page.mouse.up();
  await waitForCanvasIdle(page);
}

describe('editor with a 1,000-node flowchart', () => {
  const studio = useStudio();

  test('renders a bounded number of nodes at 100 %, renders a node panned into view, and selects on the low-detail layer', { timeout: 180_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('thousand', [{ output: 'ok' }]);
    const id = await server.flowchart(thousandNodes('thousand'));
    await studio.withPage(async ({ page, go }) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await rfNode(page, 'start').waitFor({ state: 'visible' });
      await waitForCanvasIdle(page);
      await waitFor(page, 'canvas', { 'data-culled': 'true' });

      // The opening view is at the readable zoom and holds a few dozen nodes, not the thousand.
      assert.equal(await canvasZoom(page), 1);
      const opened = await nodeCount(page);
      assert.ok(opened > 0 && opened <= 120, `${opened} node elements in the DOM at 100 %`);
      assert.equal(await rfNode(page, 'l0_20').count(), 0, 'a node far to the right is not rendered');
      assert.equal(await rfNode(page, 'done').count(), 0);

      // Panning brings l0_20 (x = 4,620) into view: it is rendered, the start node is dropped, the count stays bounded.
      await waitForValidationIdle(page);
      for (let i = 0; i < 8 && (await rfNode(page, 'l0_20').count()) === 0; i++) await panLeft(page);
      await rfNode(page, 'l0_20').waitFor({ state: 'visible' });
      assert.equal(await rfNode(page, 'start').count(), 0, 'the start node left the view and the DOM');
      const panned = await nodeCount(page);
      assert.ok(panned <= 120, `${panned} node elements after panning`);
      // It is a working node: a click selects it and the inspector shows it.
      await panToCentre(page, rfNode(page, 'l0_20'));
      await page.locator('[data-testid="node-l0_20"] .fnode-title').click();
      await waitFor(page, 'node-form', { 'data-node-id': 'l0_20' });

      // Far below the readable zoom the low-detail layer draws the graph; no node elements remain.
      await zoomOutTo(page, 0.3);
      await waitFor(page, 'low-detail-layer');
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 0);
      // A click on a drawn node selects it: the grid node nearest the canvas centre, located from the viewport transform.
      const at = await gridNodeNearCentre(page);
      await page.mouse.click(at.x, at.y);
      await waitFor(page, 'node-form', { 'data-node-id': at.id });
      // The fit-view control still fits the whole graph (React Flow holds no nodes at low detail).
      const before = await page.locator('.react-flow__viewport').getAttribute('style');
      await page.locator('.react-flow__controls-fitview').click();
      await page.waitForFunction((b) => document.querySelector('.react-flow__viewport')?.getAttribute('style') !== b, before);
      await waitForCanvasIdle(page);
      assert.ok((await canvasZoom(page)) < 0.3, 'the whole 22,000 px wide graph fits only far below 30 %');
      await waitFor(page, 'low-detail-layer');
    });
  });
});
