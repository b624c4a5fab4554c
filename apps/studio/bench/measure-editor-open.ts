/**
 * Opening a big flowchart in the editor, cold (a fresh browser context: no cache), measured inside the page with
 * `performance.now()` (milliseconds since navigation start):
 * - `nodes_visible_ms`: every node of the document that intersects the canvas at the final viewport is in the DOM and
 *   measured (React Flow shows a node once it knows its size). The time is taken again whenever the viewport moves
 *   (the first fit), so it is when the view the user gets is complete; a studio that renders every node (no culling)
 *   reaches it when all nodes are shown;
 * - `main_thread_free_ms`: the end of the last long task (> 50 ms) before the click, i.e. when a click is handled at once;
 * - `click_to_selected_ms`: from the click's input timestamp until the inspector shows the clicked node;
 * - `open_to_interactive_ms` = max(nodes visible, main thread free) + click to selected: navigation until a click on a
 *   node has selected it, without the harness's own round trips.
 */
import type { Browser, Page } from 'playwright-core';
import { mainThreadStats, TRACE_CATEGORIES, type MainThreadStat } from './main-thread-trace.ts';

/** One cold open. */
export interface EditorOpenSample {
  /** Navigation → the studio's scripts (entry + editor chunks) downloaded. */
  scripts_loaded_ms: number;
  /** Navigation → `GET /api/flowcharts/:id` answered. */
  flowchart_fetched_ms: number;
  /** Navigation → the first canvas node in the DOM (the first render of the graph). */
  first_node_ms: number;
  nodes_visible_ms: number;
  main_thread_free_ms: number;
  click_to_selected_ms: number;
  open_to_interactive_ms: number;
  long_tasks: number;
  total_blocking_ms: number;
  /** Wall clock in the harness from `goto` to seeing the selection (includes its CDP round trips and waits). */
  harness_wall_ms: number;
  dom_nodes: number;
  js_heap_mb: number | null;
  /** With `trace`: the renderer main thread from navigation until the node is selected (CPU time, longest task). */
  main?: MainThreadStat;
}

interface BenchWindow {
  __bench: { first: number | null; visible: number | null; longTasks: { start: number; end: number }[]; click: number | null; selected: number | null; target: string | null };
}

/** A node's id and top-left flow position (the document's `ui.x/ui.y`, or the layout the studio computes). */
export type NodeSpot = [id: string, x: number, y: number];

/** In-page probe, installed before the studio's scripts run. */
function probe(spots: NodeSpot[]): void {
  const w = window as unknown as BenchWindow;
  const b: BenchWindow['__bench'] = { first: null, visible: null, longTasks: [], click: null, selected: null, target: null };
  w.__bench = b;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
  }).observe({ type: 'longtask', buffered: true });
  addEventListener('pointerdown', (ev) => (b.click = ev.timeStamp), { capture: true });
  // Smallest node box (min-width 160, two text lines): a node counts as on screen when this box intersects the canvas.
  const NW = 160;
  const NH = 40;
  let lastTransform = '';
  const frame = (): void => {
    if (b.click === null) {
      const all = document.querySelectorAll('.react-flow__node');
      if (b.first === null && all.length > 0) b.first = performance.now();
      const vp = document.querySelector<HTMLElement>('.react-flow__viewport');
      const pane = document.querySelector('.react-flow');
      const t = vp?.style.transform ?? '';
      if (t !== lastTransform) {
        lastTransform = t;
        b.visible = null;
      }
      const m = /translate\(([-\d.e]+)px,\s*([-\d.e]+)px\)\s*scale\(([-\d.e]+)\)/.exec(t);
      if (b.visible === null && m && pane && all.length > 0 && document.querySelectorAll('.react-flow__node[style*="visibility: hidden"]').length === 0) {
        const [tx, ty, z] = [Number(m[1]), Number(m[2]), Number(m[3])];
        const { width, height } = pane.getBoundingClientRect();
        const shown = new Set([...all].map((e) => e.getAttribute('data-id')));
        const missing = spots.some(([id, x, y]) => x * z + tx < width && (x + NW) * z + tx > 0 && y * z + ty < height && (y + NH) * z + ty > 0 && !shown.has(id));
        if (!missing) b.visible = performance.now();
      }
    }
    if (b.target !== null && b.selected === null && document.querySelector(`[data-testid="node-form"][data-node-id="${b.target}"]`)) b.selected = performance.now();
    if (b.selected === null) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function settle(page: Page, frames = 20): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let last = '';
        let same = 0;
        const tick = (): void => {
          const t = document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '';
          same = t === last ? same + 1 : 0;
          last = t;
          if (same >= n) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    frames,
  );
}

/**
 * Opens `/flowcharts/:id` in a fresh context and measures it (see the module comment); with `trace`, also under a
 * Chromium performance trace (main-thread CPU time, see main-thread-trace.ts).
 */
export async function measureEditorOpen(browser: Browser, baseURL: string, flowchartId: string, spots: NodeSpot[], trace = false): Promise<EditorOpenSample> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(60_000);
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  await context.addInitScript(probe, spots);
  const page = await context.newPage();
  try {
    if (trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const t0 = Date.now();
    await page.goto(`/flowcharts/${encodeURIComponent(flowchartId)}`, { waitUntil: 'commit' });
    // Pick the node nearest the canvas centre once fitView has placed the nodes (harness time, not measured).
    await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.visible !== null, undefined, { polling: 50 });
    await settle(page);
    await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.visible !== null, undefined, { polling: 50 });
    const target = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
      const cx = c.left + c.width / 2;
      const cy = c.top + c.height / 2;
      let best: { id: string; x: number; y: number; d: number } | null = null;
      for (const el of document.querySelectorAll('.react-flow__node')) {
        const r = el.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        const d = (x - cx) ** 2 + (y - cy) ** 2;
        if (!best || d < best.d) best = { id: el.getAttribute('data-id') ?? '', x, y, d };
      }
      (window as unknown as BenchWindow).__bench.target = best?.id ?? null;
      return best;
    });
    if (!target) throw new Error('no node on the canvas');
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.selected !== null, undefined, { polling: 'raf' });
    const harness = Date.now() - t0;
    const main = trace ? mainThreadStats(await browser.stopTracing()) : undefined;
    const r = await page.evaluate(() => {
      const b = (window as unknown as BenchWindow).__bench;
      const perf = performance as Performance & { memory?: { usedJSHeapSize: number } };
      const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const scripts = res.filter((e) => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name)).reduce((m, e) => Math.max(m, e.responseEnd), 0);
      const fetched = res.filter((e) => /^\/api\/flowcharts\/(?!validate$)[^/]+$/.test(new URL(e.name).pathname)).reduce((m, e) => Math.max(m, e.responseEnd), 0);
      return { ...b, scripts, fetched, dom: document.getElementsByTagName('*').length, heap: perf.memory ? perf.memory.usedJSHeapSize : null };
    });
    const before = r.longTasks.filter((t) => t.start < (r.click ?? Infinity));
    const free = before.reduce((m, t) => Math.max(m, t.end), 0);
    const visible = r.visible ?? NaN;
    const clickToSelected = (r.selected ?? NaN) - (r.click ?? NaN);
    return {
      scripts_loaded_ms: Math.round(r.scripts),
      flowchart_fetched_ms: Math.round(r.fetched),
      first_node_ms: Math.round(r.first ?? NaN),
      nodes_visible_ms: Math.round(visible),
      main_thread_free_ms: Math.round(free),
      click_to_selected_ms: Math.round(clickToSelected),
      open_to_interactive_ms: Math.round(Math.max(visible, free) + clickToSelected),
      long_tasks: before.length,
      total_blocking_ms: Math.round(before.reduce((s, t) => s + Math.max(0, t.end - t.start - 50), 0)),
      harness_wall_ms: harness,
      dom_nodes: r.dom,
      js_heap_mb: r.heap === null ? null : Math.round((r.heap / 1048576) * 10) / 10,
      ...(main ? { main } : {}),
    };
  } finally {
    await context.close();
  }
}
