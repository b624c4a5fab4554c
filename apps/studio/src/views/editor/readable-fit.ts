/**
 * "Fit view" that keeps node text readable: the graph is fitted into the canvas, but never below the zoom at which the
 * smallest node text (11 px; titles are 12 px) renders at 11 px; a graph too big for that is shown from its left edge (where `start` is), centred
 * vertically when it fits that way.
 */
import type { ReactFlowInstance } from '@xyflow/react';
import { nodeBounds } from '../graph/node-size.ts';

/** Smallest zoom a fit may choose: the smallest node text is 11 px, so 1 keeps every node text at 11 px or more. */
export const READABLE_ZOOM = 1;
const MAX_FIT_ZOOM = 1.2;
const PAD = 0.1;

/**
 * Fits the graph into `el` (the canvas element) without going below {@link READABLE_ZOOM}: the nodes React Flow holds,
 * or `all` when given (a big graph's canvas hands React Flow only a window of it, see ../graph/view-window.ts).
 */
export function readableFit(rf: Pick<ReactFlowInstance, 'getNodes' | 'getNodesBounds' | 'setViewport'>, el: Element | null, all?: Parameters<typeof nodeBounds>[0]): void {
  const nodes = all ?? rf.getNodes();
  if (!el || nodes.length === 0) return;
  const { width, height } = el.getBoundingClientRect();
  if (width === 0 || height === 0) return;
  const b = all ? nodeBounds(all)! : rf.getNodesBounds(rf.getNodes());
  const fit = Math.min(width / (b.width * (1 + 2 * PAD) || 1), height / (b.height * (1 + 2 * PAD) || 1), MAX_FIT_ZOOM);
  const zoom = Math.max(fit, READABLE_ZOOM);
  const margin = 40;
  const x = b.width * zoom <= width ? (width - b.width * zoom) / 2 - b.x * zoom : margin - b.x * zoom;
  const y = b.height * zoom <= height ? (height - b.height * zoom) / 2 - b.y * zoom : margin - b.y * zoom;
  void rf.setViewport({ x, y, zoom });
}
