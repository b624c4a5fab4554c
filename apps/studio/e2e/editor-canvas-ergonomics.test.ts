/**
 * Editor canvas ergonomics in a real browser at 1280×720: clicking a connector selects it (its mode is changed in the
 * inspector), a palette node lands in view next to the selection, fit view keeps node text at 11 px or more for a
 * 50-node graph and refits on resize, and the minimap is small and collapsible.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { byTestId, screenshot, waitFor, waitForGone } from './support/browser.ts';
import { bringIntoView, canvasZoom, clickNode, rfNode, waitForCanvasIdle, waitForValidationIdle } from './support/canvas.ts';
import { lineDoc, triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

/** Smallest rendered font size (px on screen) of any text inside canvas nodes. */
function smallestNodeText(page: Page): Promise<number> {
  return page.evaluate(() => {
    const vp = document.querySelector('.react-flow__viewport');
    const zoom = vp ? new DOMMatrixReadOnly(getComputedStyle(vp).transform).a : 1;
    let min = Infinity;
    for (const el of document.querySelectorAll('.react-flow__node *')) {
      if (!(el instanceof HTMLElement) || !el.textContent?.trim() || el.children.length > 0) continue;
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize) * zoom);
    }
    return min;
  });
}

async function clickPathMiddle(page: Page, edgeId: string): Promise<void> {
  const p = await page.locator(`[data-testid="rf__edge-${edgeId}"] path.react-flow__edge-path`).first().evaluate((el) => {
    const path = el as SVGPathElement;
    const pt = path.getPointAtLength(path.getTotalLength() / 2);
    const m = path.getScreenCTM()!;
    return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
  });
  await page.mouse.click(p.x, p.y);
}

describe('editor canvas ergonomics', () => {
  const studio = useStudio();

  test('a connector is selected by a click in its middle and its mode changed in the inspector; palette nodes land next to the selection', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('ergo', triageResponses());
    const id = await server.flowchart(triageDoc('Ergonomics', 'ergo'));
    await studio.withPage(async ({ page, go }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await waitForCanvasIdle(page);
      assert.equal(await page.locator('[data-testid^="edge-mode-toggle-"]').count(), 0, 'no mode toggle on the canvas');

      // A labelled connector: clicking its label (the middle) selects it.
      await waitForValidationIdle(page);
      await bringIntoView(page, byTestId(page, 'edge-label-e3'));
      await byTestId(page, 'edge-label-e3').click();
      await waitFor(page, 'connector-e3');
      // An unlabelled one: clicking the middle of its path selects it; the inspector changes its mode.
      await clickPathMiddle(page, 'e1');
      await waitFor(page, 'connector-e1');
      await byTestId(page, 'connector-mode-context-e1').click();
      await waitFor(page, 'edge-label-e1', { 'data-mode': 'context' });
      await byTestId(page, 'connector-mode-trigger-e1').click();
      await waitForGone(page, 'edge-label-e1');

      // A palette click adds the node next to the selected one, inside the visible canvas.
      await clickNode(page, 'classify');
      await byTestId(page, 'palette-memory').click();
      await rfNode(page, 'memory').waitFor({ state: 'visible' });
      await waitForCanvasIdle(page);
      const [added, near, canvas] = await Promise.all([rfNode(page, 'memory').boundingBox(), rfNode(page, 'classify').boundingBox(), byTestId(page, 'canvas').boundingBox()]);
      assert.ok(added && near && canvas);
      assert.ok(added.x >= canvas.x && added.y >= canvas.y && added.x + added.width <= canvas.x + canvas.width && added.y + added.height <= canvas.y + canvas.height, 'the new node is in view');
      assert.ok(Math.hypot(added.x - near.x, added.y - near.y) < 500, `the new node is near the selection (${JSON.stringify({ added, near })})`);
      await waitFor(page, 'node-form', { 'data-node-id': 'memory' });
    });
  });

  test('fit view keeps the text of a 50-node graph at 11 px or more, refits on resize, and the minimap is small and collapsible', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('fifty', [{ output: 'ok' }]);
    const tasks = Array.from({ length: 48 }, (_, i) => `step${i + 1}`);
    const id = await server.flowchart(lineDoc('Fifty nodes', 'fifty', tasks));
    await studio.withPage(async ({ page, go }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await rfNode(page, 'start').waitFor({ state: 'visible' });
      await waitForCanvasIdle(page);
      assert.equal(await page.locator('.react-flow__node').count(), 50);
      const smallest = await smallestNodeText(page);
      assert.ok(smallest >= 11 - 1e-6, `node text is ${smallest.toFixed(2)} px on screen`);
      assert.ok(await rfNode(page, 'start').isVisible());

      // The minimap is small at 1280×720 and can be collapsed and opened again.
      const minimap = page.locator('.react-flow__minimap');
      const mm = await minimap.boundingBox();
      assert.ok(mm && mm.width <= 160 && mm.height <= 110, `minimap ${JSON.stringify(mm)}`);
      await screenshot(page, 'editor-50-nodes-1280x720');
      await byTestId(page, 'minimap-toggle').click();
      await minimap.waitFor({ state: 'detached' });
      await byTestId(page, 'minimap-toggle').click();
      await minimap.waitFor({ state: 'visible' });

      // Resizing the window refits (the viewport transform changes), still readable.
      const before = await page.locator('.react-flow__viewport').getAttribute('style');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.waitForFunction((b) => document.querySelector('.react-flow__viewport')?.getAttribute('style') !== b, before);
      await waitForCanvasIdle(page);
      assert.ok((await canvasZoom(page)) >= 1 - 1e-6, 'a fit never goes below the readable zoom');
      assert.ok((await smallestNodeText(page)) >= 11 - 1e-6);
    });
  });
});
