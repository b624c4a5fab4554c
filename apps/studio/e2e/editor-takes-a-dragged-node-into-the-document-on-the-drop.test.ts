/**
 * While a node is dragged the editor does not rebuild the document on every drag frame (at 5,000 nodes each rebuild,
 * with its serialisation, autosave and validation, cost about 100 ms of CPU a frame): the node moves on the canvas,
 * and the document — unsaved marker, local draft — takes the new position on the drop.
 * State-gated: waits on the node's transform, the dirty indicator and localStorage, none on time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, waitFor } from './support/browser.ts';
import { rfNode, waitForCanvasIdle, waitForValidationIdle } from './support/canvas.ts';
import { lineDoc } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

describe('dragging a node in the editor', () => {
  const studio = useStudio();

  test('moves the node at once and takes its position into the document, the unsaved marker and the local draft on the drop', { timeout: 120_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('drag-model', [{ output: 'ok' }]);
    const id = await server.flowchart(lineDoc('Drag me', 'drag-model', ['a', 'b']));
    const draftKey = `llmctl.draft.${id}`;
    await studio.withPage(async ({ page, go }) => {
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitForValidationIdle(page);
      await waitForCanvasIdle(page);
      assert.equal(await byTestId(page, 'dirty-indicator').count(), 0);

      const node = rfNode(page, 'a');
      const before = await node.getAttribute('style');
      const box = await node.boundingBox();
      assert.ok(box);
      await page.mouse.move(box.x + box.width / 2, box.y + 12);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 30, box.y + 52, { steps: 4 });
      await page.mouse.move(box.x + box.width / 2 + 60, box.y + 92, { steps: 4 });
      // The node follows the pointer on the canvas...
      await page.waitForFunction(([sel, b]) => document.querySelector(sel)?.getAttribute('style') !== b, ['.react-flow__node[data-id="a"]', before] as const);
      // ...after two more frames (effects of the move flushed), the document is still the one before the drag.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      assert.equal(await byTestId(page, 'dirty-indicator').count(), 0, 'no unsaved marker while dragging');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), draftKey), null, 'no local draft while dragging');

      await page.mouse.up();
      await waitFor(page, 'dirty-indicator');
      await page.waitForFunction((k) => localStorage.getItem(k) !== null, draftKey);
      const draft = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), draftKey))!) as { json: string };
      const moved = (JSON.parse(draft.json) as { nodes: { id: string; ui?: { x: number; y: number } }[] }).nodes.find((n) => n.id === 'a');
      const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec((await node.getAttribute('style')) ?? '');
      assert.ok(m && moved?.ui, 'the dragged node has a position on the canvas and in the draft');
      assert.deepEqual([moved.ui.x, moved.ui.y], [Number(m[1]), Number(m[2])], 'the draft holds the position the node was dropped at');
    });
  });
});
