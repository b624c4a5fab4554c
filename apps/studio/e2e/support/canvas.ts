/**
 * Mouse gestures on the React Flow canvas: drag a node type from the palette (HTML5 drag and drop, driven by real
 * mouse moves), connect a source handle to a target handle, click a connector, select a node.
 */
import type { Locator, Page } from 'playwright-core';
import { WAIT_MS } from './browser.ts';
import { GRID } from './flowcharts.ts';

/** A point as fractions (0..1) of the canvas box. */
export interface CanvasSpot {
  fx: number;
  fy: number;
}

async function center(loc: Locator): Promise<{ x: number; y: number }> {
  await loc.waitFor({ state: 'visible' });
  const b = await loc.boundingBox();
  if (!b) throw new Error(`no box for ${String(loc)}`);
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** The React Flow node element of a node id. */
export function rfNode(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

/** Screen point of a canvas spot. */
export async function canvasPoint(page: Page, at: CanvasSpot): Promise<{ x: number; y: number }> {
  const b = await page.locator('[data-testid="canvas"]').boundingBox();
  if (!b) throw new Error('canvas not visible');
  return { x: Math.round(b.x + b.width * at.fx), y: Math.round(b.y + b.height * at.fy) };
}

/**
 * Drags the palette item of `type` onto the canvas at `at` and resolves with the id of the node that appeared
 * (the one node id that was not on the canvas before).
 */
export async function dragFromPalette(page: Page, type: string, at: CanvasSpot): Promise<string> {
  await waitForValidationIdle(page);
  const before = new Set(await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? '')));
  const from = await center(page.locator(`[data-testid="palette-${type}"]`));
  const to = await canvasPoint(page, at);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 20, from.y + 5, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
  const handle = await page.waitForFunction(
    (prev) => {
      const ids = [...document.querySelectorAll('.react-flow__node')].map((e) => e.getAttribute('data-id') ?? '');
      const added = ids.filter((id) => !prev.includes(id));
      return added.length === 1 ? added[0] : null;
    },
    [...before],
    { timeout: WAIT_MS },
  );
  return (await handle.jsonValue()) as string;
}

/**
 * Drags from the source (right) handle of `source` to the target (left) handle of `target`; resolves with the new
 * connector's id once React Flow draws it.
 */
export async function connectHandles(page: Page, source: string, target: string): Promise<string> {
  await waitForValidationIdle(page);
  const from = await center(rfNode(page, source).locator('.react-flow__handle.source'));
  const to = await center(rfNode(page, target).locator('.react-flow__handle.target'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2 + 10, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  const edge = page.locator(`.react-flow__edge[aria-label="Edge from ${source} to ${target}"]`);
  await edge.waitFor({ state: 'attached' });
  const tid = (await edge.getAttribute('data-testid')) ?? '';
  return tid.replace(/^rf__edge-/, '');
}

/** Clicks a connector a quarter of the way along its path (its label with the mode toggle sits at the middle). */
export async function clickEdge(page: Page, edgeId: string): Promise<void> {
  await waitForValidationIdle(page);
  const path = page.locator(`[data-testid="rf__edge-${edgeId}"] path.react-flow__edge-path`).first();
  await path.waitFor({ state: 'attached' });
  const p = await path.evaluate((el) => {
    const svgPath = el as SVGPathElement;
    const pt = svgPath.getPointAtLength(svgPath.getTotalLength() * 0.25);
    const m = svgPath.getScreenCTM();
    if (!m) return null;
    return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
  });
  if (!p) throw new Error(`connector ${edgeId} has no screen position`);
  await page.mouse.click(p.x, p.y);
}

/** Whether an element of the canvas is entirely inside the visible canvas box. */
async function inView(page: Page, el: Locator): Promise<boolean> {
  const [n, c] = await Promise.all([el.boundingBox(), page.locator('[data-testid="canvas"], [data-testid="run-graph"]').first().boundingBox()]);
  if (!n || !c) return false;
  return n.x >= c.x && n.y >= c.y && n.x + n.width <= c.x + c.width && n.y + n.height <= c.y + c.height;
}

const nodeInView = (page: Page, id: string): Promise<boolean> => inView(page, rfNode(page, id));

/**
 * Brings an element of the canvas into view with the canvas's own "fit view" control when it lies outside the visible
 * canvas (the editor's readable fit does not fit big graphs, and at 1280×720 not even small ones), as a user would.
 */
export async function bringIntoView(page: Page, el: Locator): Promise<void> {
  await el.waitFor({ state: 'visible' });
  await waitForCanvasIdle(page);
  if (await inView(page, el)) return;
  await page.locator('.react-flow__controls-fitview').first().click();
  await waitForCanvasIdle(page);
}

/**
 * Clicks a node's title to select it. A node outside the visible canvas (the editor's fit keeps text readable, so
 * big graphs do not fit) is first brought into view with the canvas's own "fit view" control, as a user would.
 */
export async function clickNode(page: Page, id: string): Promise<void> {
  if (await page.locator('[data-testid="validation-status"]').count()) await waitForValidationIdle(page);
  await rfNode(page, id).waitFor({ state: 'visible' });
  if (!(await nodeInView(page, id))) {
    await page.locator('.react-flow__controls-fitview').first().click();
    await waitForCanvasIdle(page);
  }
  await page.locator(`[data-testid="node-${id}"] .fnode-title`).click();
}

/** The canvas zoom (scale of the React Flow viewport transform). */
export async function canvasZoom(page: Page): Promise<number> {
  return page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
}

/** Clicks the zoom-out control until the canvas zoom is at most `max`, waiting for each step to apply. */
export async function zoomOutTo(page: Page, max: number): Promise<number> {
  let z = await canvasZoom(page);
  while (z > max) {
    await page.locator('.react-flow__controls-zoomout').click();
    const prev = z;
    await page.waitForFunction((p) => {
      const el = document.querySelector('.react-flow__viewport');
      return !!el && new DOMMatrixReadOnly(getComputedStyle(el).transform).a < p - 1e-6;
    }, prev);
    z = await canvasZoom(page);
  }
  return z;
}

/** Clicks the zoom-in control until the canvas zoom is at least `min`, waiting for each step to apply. */
export async function zoomInTo(page: Page, min: number): Promise<number> {
  let z = await canvasZoom(page);
  while (z < min) {
    await page.locator('.react-flow__controls-zoomin').click();
    const prev = z;
    await page.waitForFunction((p) => {
      const el = document.querySelector('.react-flow__viewport');
      return !!el && new DOMMatrixReadOnly(getComputedStyle(el).transform).a > p + 1e-6;
    }, prev);
    z = await canvasZoom(page);
  }
  return z;
}

/**
 * The node of the {@link GRID} flowchart ({@link thousandNodes}) nearest the centre of the canvas pane, and the screen
 * point inside its box, located from the viewport transform (at low detail no node element exists to locate).
 */
export async function gridNodeNearCentre(page: Page): Promise<{ id: string; x: number; y: number }> {
  const { DX, DY, LANES, PER_LANE } = GRID;
  return page.evaluate(([dx, dy, lanes, perLane]) => {
    const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    const fx = (pane.width / 2 - m.e) / m.a;
    const fy = (pane.height / 2 - m.f) / m.a;
    const lane = Math.min(lanes - 1, Math.max(0, Math.round(fy / dy)));
    const i = Math.min(perLane - 1, Math.max(0, Math.round(fx / dx) - 1));
    return { id: `l${lane}_${i}`, x: pane.left + m.e + ((i + 1) * dx + 80) * m.a, y: pane.top + m.f + (lane * dy + 20) * m.a };
  }, [DX, DY, LANES, PER_LANE] as [number, number, number, number]);
}

/**
 * Waits until the canvas viewport transform has not changed for `frames` animation frames (pans / zooms done) and a big
 * graph's canvas has handed every node on screen to React Flow (no `data-mounting`, see big-graph.ts).
 */
export async function waitForCanvasIdle(page: Page, frames = 10): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let last = '';
        let same = 0;
        const tick = (): void => {
          const t = document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '';
          same = t === last ? same + 1 : 0;
          last = t;
          if (same >= n && document.querySelector('[data-mounting]') === null) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    frames,
  );
}

/**
 * Waits until the editor's as-you-type validation has answered for the current document (the status loses its
 * `pending` class). Node sizes, and so handle positions, change with the problems shown, so gestures wait for it.
 */
export async function waitForValidationIdle(page: Page): Promise<void> {
  await page.locator('[data-testid="validation-status"]:not(.pending)').waitFor({ state: 'attached' });
}
