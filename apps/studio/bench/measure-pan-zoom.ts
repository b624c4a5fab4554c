/**
 * Frames per second while panning and zooming a big flowchart in the editor. Once the editor has opened the graph
 * (nodes on screen, the viewport settled, the first validation answered), the page drives the gesture itself: one
 * input event per animation frame, as a 60 Hz mouse or wheel would send — a drag of the pane (mousedown, mousemove,
 * mouseup through d3-zoom, as a real drag) or a wheel turn at the canvas centre. Each frame's work (React Flow moving
 * the viewport, the studio mounting and unmounting the nodes that enter and leave it) delays the next
 * `requestAnimationFrame`, so frames per second = frames / time between the first and the last frame.
 *
 * Phases: pan at the opening zoom (100%), zoom out to the minimum zoom (0.1: the whole graph on screen), pan there,
 * zoom back in; then drag the node nearest the centre (4 px per frame).
 */
import type { Browser } from 'playwright-core';
import { mainThreadStats, TRACE_CATEGORIES, type MainThreadStat } from './main-thread-trace.ts';

/** One gesture. */
export interface GestureStat {
  frames: number;
  fps: number;
  /** 95th percentile and worst frame interval. */
  p95_frame_ms: number;
  max_frame_ms: number;
  /** Zoom at the end of the gesture. */
  zoom_after: number;
  /** Node elements in the DOM at the end of the gesture. */
  nodes_in_dom: number;
  /** With `trace`: the renderer main thread during the gesture (CPU time, longest task). */
  main?: MainThreadStat;
}

/** Pan and zoom figures of one page. */
export interface PanZoomSample {
  pan_at_100: GestureStat;
  zoom_out: GestureStat;
  pan_at_min_zoom: GestureStat;
  zoom_in: GestureStat;
  /** Lowest fps of the four gestures. */
  worst_fps: number;
  /** Dragging the node nearest the centre at 100 % (not part of `worst_fps`). */
  drag_node: GestureStat;
}

type Kind = 'pan' | 'zoom-out' | 'zoom-in' | 'drag';

/** In-page: runs `frames` frames of a gesture and returns the frame timestamps and the final zoom. */
function gesture([kind, frames]: [Kind, number]): Promise<{ times: number[]; zoom: number; nodes: number }> {
  const pane = document.querySelector<HTMLElement>('.react-flow__pane')!;
  const r = pane.getBoundingClientRect();
  let x = r.left + r.width * 0.7;
  let y = r.top + r.height / 2;
  // A drag starts on the node nearest the pane's centre.
  let target: Element = pane;
  if (kind === 'drag') {
    let best = Infinity;
    for (const el of document.querySelectorAll('.react-flow__node')) {
      const b = el.getBoundingClientRect();
      const d = (b.left + b.width / 2 - (r.left + r.width / 2)) ** 2 + (b.top + b.height / 2 - y) ** 2;
      if (d < best) {
        best = d;
        target = el;
        x = b.left + b.width / 2;
      }
    }
    const b = target.getBoundingClientRect();
    y = b.top + b.height / 2;
  }
  const mouse = (type: string, target: EventTarget): void => {
    target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1 }));
  };
  const zoomNow = (): number => Number(/scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)?.[1] ?? NaN);
  return new Promise((resolve) => {
    const times: number[] = [];
    if (kind === 'pan' || kind === 'drag') mouse('mousedown', target);
    const tick = (t: number): void => {
      times.push(t);
      if (times.length > frames) {
        if (kind === 'pan' || kind === 'drag') mouse('mouseup', window);
        resolve({ times, zoom: zoomNow(), nodes: document.querySelectorAll('.react-flow__node').length });
        return;
      }
      if (kind === 'pan' || kind === 'drag') {
        x -= kind === 'pan' ? 12 : 4;
        mouse('mousemove', window);
      } else {
        pane.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, view: window, clientX: r.left + r.width / 2, clientY: y, deltaY: kind === 'zoom-out' ? 100 : -100, deltaMode: 0 }));
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

function stat(run: { times: number[]; zoom: number; nodes: number }): GestureStat {
  const d = run.times.slice(1).map((t, i) => t - run.times[i]!).sort((a, b) => a - b);
  const total = run.times.at(-1)! - run.times[0]!;
  return {
    frames: d.length,
    fps: Math.round((d.length / total) * 1000 * 10) / 10,
    p95_frame_ms: Math.round(d[Math.floor(d.length * 0.95)] ?? NaN),
    max_frame_ms: Math.round(d.at(-1) ?? NaN),
    zoom_after: Math.round(run.zoom * 1000) / 1000,
    nodes_in_dom: run.nodes,
  };
}

/** Opens `/flowcharts/:id`, waits until it has settled, and measures the four gestures (`trace`: also traced). */
export async function measurePanZoom(browser: Browser, baseURL: string, flowchartId: string, trace = false): Promise<PanZoomSample> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(120_000);
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  const page = await context.newPage();
  try {
    await page.goto(`/flowcharts/${encodeURIComponent(flowchartId)}`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.locator('[data-testid="validation-status"][data-valid]').waitFor();
    // The viewport has stopped moving for 30 frames (the first fit is done).
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          let last = '';
          let same = 0;
          const tick = (): void => {
            const t = document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '';
            same = t === last ? same + 1 : 0;
            last = t;
            if (same >= 30) resolve();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
    );
    const run = async (kind: Kind, frames: number): Promise<GestureStat> => {
      if (!trace) return stat(await page.evaluate(gesture, [kind, frames] as [Kind, number]));
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const s = stat(await page.evaluate(gesture, [kind, frames] as [Kind, number]));
      return { ...s, main: mainThreadStats(await browser.stopTracing()) };
    };
    // 100 px of wheel per frame is ×0.87 of zoom: 20 frames take 100 % to the minimum zoom (0.1) and back.
    const pan_at_100 = await run('pan', 60);
    const zoom_out = await run('zoom-out', 20);
    const pan_at_min_zoom = await run('pan', 60);
    const zoom_in = await run('zoom-in', 20);
    await page.evaluate(() => new Promise<void>((resolve) => {
      const wait = (): void => {
        if (document.querySelector('[data-mounting]')) requestAnimationFrame(wait);
        else resolve();
      };
      wait();
    }));
    const drag_node = await run('drag', 30);
    return { pan_at_100, zoom_out, pan_at_min_zoom, zoom_in, worst_fps: Math.min(pan_at_100.fps, zoom_out.fps, pan_at_min_zoom.fps, zoom_in.fps), drag_node };
  } finally {
    await context.close();
  }
}
