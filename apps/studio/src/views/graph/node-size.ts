/**
 * Sizes of canvas nodes before the browser has measured them, so that a big graph can be culled to the viewport from
 * its first render. React Flow renders every node it has not measured (it needs the size and the handle positions),
 * which for a 1,000-node flowchart means mounting, measuring and painting all of them before anything is
 * interactive. A node given a size and handles up front is treated as measured: only the nodes that intersect the
 * viewport are rendered, and each is measured for real once it is (its real size then replaces the estimate).
 *
 * The estimate follows the node card's CSS (styles.css `.fnode`): 160–240 px wide, a 15 px type row and a 17 px
 * title, 15 px per further line (id, summary), a problem box of up to 42 px. It only has to be close: it decides
 * whether a node is near the viewport and where a connector to a node that was never rendered ends.
 */
import type { NodeHandle } from '@xyflow/react';
import { Position } from '@xyflow/react';
import type { FlowchartNode } from '@llmctl/contracts';
import { nodeKind, nodeSummary } from '../../core/node-catalog.ts';
import type { Problem } from '../../core/validation-issues.ts';

/** Graphs with at least this many nodes render only what intersects the viewport (smaller ones render everything). */
export const CULL_MIN_NODES = 150;
/**
 * Below this zoom node text is unreadable (11–12 px text under 7 px): big graphs are drawn by the low-detail layer
 * (low-detail-layer.tsx). 0.6 rather than 0.45: zooming in past it mounts the nodes then on screen in one frame, about
 * 150 at 0.6 against 270 at 0.45 on a 1440×900 canvas.
 */
export const LOW_DETAIL_ZOOM = 0.6;

/** A node's box in flow coordinates (unscaled pixels). */
export interface NodeSize {
  width: number;
  height: number;
}

const HANDLE = 9;
const BASE = 14 + 15 + 17; // padding and borders, type row, title
const LINE = 15;

/** Estimated size of a node card (see the module comment). */
export function estimateNodeSize(id: string, node: FlowchartNode, issues?: readonly Problem[]): NodeSize {
  const title = node.name || id;
  const showId = !!node.name && node.name !== id;
  const summary = nodeSummary(node.type, node.config);
  const textWidth = Math.max(title.length * 7, showId ? id.length * 6.6 : 0);
  const width = Math.round(Math.min(240, Math.max(160, textWidth + 24)));
  let height = BASE + (showId ? LINE : 0) + (summary ? LINE : 0);
  const first = issues?.[0];
  if (first) height += 4 + Math.min(42, 4 + 14 * Math.ceil(((first.code.length + first.message.length + 1) * 6) / (width - 24)));
  return { width, height: Math.round(height) };
}

/** Handle positions of a node of `size`: target on the left edge, source on the right, both vertically centred. */
export function estimateHandles(type: string, size: NodeSize): NodeHandle[] {
  const y = size.height / 2 - HANDLE / 2;
  const handles: NodeHandle[] = [{ id: null, type: 'target', position: Position.Left, x: -HANDLE / 2, y, width: HANDLE, height: HANDLE }];
  if (nodeKind(type).hasSource) handles.push({ id: null, type: 'source', position: Position.Right, x: size.width - HANDLE / 2, y, width: HANDLE, height: HANDLE });
  return handles;
}

/** Size used for a canvas node the browser has not measured yet (bounds, minimap). */
export const UNMEASURED_NODE = { width: 180, height: 64 } as const;

/** The box around every node (unmeasured ones at {@link UNMEASURED_NODE}); null for no nodes. */
export function nodeBounds(nodes: readonly { position: { x: number; y: number }; measured?: { width?: number; height?: number } }[]): { x: number; y: number; width: number; height: number } | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const n of nodes) {
    x1 = Math.min(x1, n.position.x);
    y1 = Math.min(y1, n.position.y);
    x2 = Math.max(x2, n.position.x + (n.measured?.width ?? UNMEASURED_NODE.width));
    y2 = Math.max(y2, n.position.y + (n.measured?.height ?? UNMEASURED_NODE.height));
  }
  return Number.isFinite(x1) ? { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } : null;
}
