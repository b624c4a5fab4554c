/**
 * Fits the view to nodes given by the caller, not to the nodes React Flow holds: a big graph's canvas hands React
 * Flow only a window of the graph (view-window.ts), so React Flow's own `fitView` would fit that window.
 */
import { getViewportForBounds, type ReactFlowInstance } from '@xyflow/react';
import { nodeBounds } from './node-size.ts';

/** Options of {@link fitNodes}. */
export interface FitNodesOptions {
  padding?: number;
  minZoom?: number;
  maxZoom?: number;
  duration?: number;
}

/** Sets the viewport of a `width` × `height` pane so that `nodes` fit (unmeasured ones at the default node size). */
export function fitNodes(
  rf: Pick<ReactFlowInstance, 'setViewport'>,
  pane: { width: number; height: number },
  nodes: Parameters<typeof nodeBounds>[0],
  { padding = 0.1, minZoom = 0.1, maxZoom = 2.5, duration }: FitNodesOptions = {},
): boolean {
  const b = nodeBounds(nodes);
  if (!b || !pane.width || !pane.height) return false;
  void rf.setViewport(getViewportForBounds(b, pane.width, pane.height, minZoom, maxZoom, padding), duration ? { duration } : undefined);
  return true;
}
