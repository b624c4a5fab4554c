/**
 * Zooming into a 5,000-node flowchart from the low-detail layer past the threshold no longer mounts every node then on
 * screen in one commit (one long frame): the canvas hands them to React Flow at most MOUNT_PER_FRAME at a time,
 * nearest the centre first, until every node in view is rendered.
 * State-gated: node elements added to the DOM are counted per mutation batch (one per React commit); every wait is on
 * the DOM (the canvas loses `data-mounting` once the view is complete), none on time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './support/browser.ts';
import { canvasZoom, waitForCanvasIdle, zoomInTo, zoomOutTo } from './support/canvas.ts';
import { GRID } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';
import { bigFlowchart } from '../bench/bench-documents.ts';
import { MOUNT_PER_FRAME } from '../src/views/graph/view-window.ts';

interface Mounts {
  max: number;
  total: number;
  batches: number;
}

describe('editor with a 5,000-node flowchart', () => {
  const studio = useStudio();

  test('zooming in past the low-detail threshold mounts at most MOUNT_PER_FRAME nodes per commit and ends with every node in view rendered', { timeout: 240_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('five-thousand', [{ output: 'ok' }]);
    // 50 lanes of 99 nodes on the same grid as thousandNodes (220 × 110 apart).
    const id = await server.flowchart(bigFlowchart('five-thousand', 5000, 50));
    await studio.withPage(async ({ page, go }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await page.locator('[data-testid="validation-status"][data-valid]').waitFor({ state: 'attached', timeout: 60_000 });
      await waitFor(page, 'canvas', { 'data-culled': 'true' });
      await waitForCanvasIdle(page);

      // Fit the whole graph (far below the threshold: the view is then centred in the middle of the grid).
      await zoomOutTo(page, 0.3);
      await waitFor(page, 'low-detail-layer');
      await page.locator('.react-flow__controls-fitview').click();
      await page.waitForFunction(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a < 0.2);
      await waitForCanvasIdle(page);
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 0);

      // Count node elements added per mutation batch from here on.
      await page.evaluate(() => {
        const m = { max: 0, total: 0, batches: 0 };
        (window as unknown as { __mounts: Mounts }).__mounts = m;
        new MutationObserver((records) => {
          let added = 0;
          for (const r of records) {
            for (const n of r.addedNodes) {
              if (!(n instanceof Element)) continue;
              added += (n.classList.contains('react-flow__node') ? 1 : 0) + n.querySelectorAll('.react-flow__node').length;
            }
          }
          if (added === 0) return;
          m.batches++;
          m.total += added;
          m.max = Math.max(m.max, added);
        }).observe(document.querySelector('.react-flow')!, { childList: true, subtree: true });
      });

      await zoomInTo(page, 0.6);
      await waitForCanvasIdle(page);
      assert.ok((await canvasZoom(page)) >= 0.6);
      await page.waitForFunction(() => document.querySelector('[data-testid="low-detail-layer"]') === null);

      // Every grid node whose box intersects the pane is rendered.
      const missing = await page.evaluate(([dx, dy]) => {
        const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
        const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
        const shown = new Set([...document.querySelectorAll('.react-flow__node')].map((e) => e.getAttribute('data-id')));
        const out: string[] = [];
        for (let lane = 0; lane < 50; lane++) {
          for (let i = 0; i < 99; i++) {
            const x = (i + 1) * dx * m.a + m.e;
            const y = lane * dy * m.a + m.f;
            if (x < pane.width && x + 160 * m.a > 0 && y < pane.height && y + 50 * m.a > 0 && !shown.has(`l${lane}_${i}`)) out.push(`l${lane}_${i}`);
          }
        }
        return out;
      }, [GRID.DX, GRID.DY] as [number, number]);
      assert.deepEqual(missing, [], 'every node in view is rendered');

      const mounts = await page.evaluate(() => (window as unknown as { __mounts: Mounts }).__mounts);
      assert.ok(mounts.total > MOUNT_PER_FRAME, `the crossing brought ${mounts.total} nodes on screen (more than one batch)`);
      assert.ok(mounts.max <= MOUNT_PER_FRAME, `at most ${MOUNT_PER_FRAME} node elements per commit, saw ${mounts.max} (${mounts.batches} batches)`);
    });
  });
});
