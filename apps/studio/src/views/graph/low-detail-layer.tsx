/**
 * A big graph below {@link LOW_DETAIL_ZOOM}: node text would be under 7 px, and thousands of node and connector
 * components (one DOM subtree and one store subscription each) made every panning frame slow. There the canvas gives
 * React Flow no nodes and no connectors at all, and this layer draws the whole graph into one `<canvas>` instead: a box in
 * its kind's colour per node (outlined when selected, red with an error) and a curve per connector, redrawn only
 * when the viewport or the graph changes. The pane stays on top, so panning and zooming work as before;
 * {@link nodeAt} finds the node under a click so that a click still selects. Above that zoom it draws, as boxes, the
 * nodes on screen still waiting to be handed to React Flow (big-graph.ts hands over a bounded number per frame).
 */
import { useEffect, useMemo, useRef } from 'react';
import { useStore, type ReactFlowState } from '@xyflow/react';
import { nodeKind } from '../../core/node-catalog.ts';
import { worstSeverity } from '../../core/validation-issues.ts';
import type { FlowEdge, FlowNode } from './graph-types.ts';

const W = 180;
const H = 64;

/** Props of {@link LowDetailLayer}. */
export interface LowDetailLayerProps {
  nodes: readonly FlowNode[];
  edges: readonly FlowEdge[];
  /** A node's box colour (default: its kind's colour; the run graph colours by node-run state). */
  fill?: (n: FlowNode) => string;
}

const kindColor = (n: FlowNode): string => nodeKind(String(n.type)).color;

type View = { tx: number; ty: number; zoom: number; width: number; height: number };
const viewSelector = (s: ReactFlowState): View => ({ tx: s.transform[0], ty: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height });
const sameView = (a: View, b: View): boolean => a.tx === b.tx && a.ty === b.ty && a.zoom === b.zoom && a.width === b.width && a.height === b.height;

const size = (n: FlowNode): { w: number; h: number } => ({ w: n.measured?.width ?? W, h: n.measured?.height ?? H });

/** The node whose box contains the flow point (with a few screen pixels of slack), or null. */
export function nodeAt(nodes: readonly FlowNode[], x: number, y: number, zoom: number): string | null {
  const slack = 3 / zoom;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    const { w, h } = size(n);
    if (x >= n.position.x - slack && x <= n.position.x + w + slack && y >= n.position.y - slack && y <= n.position.y + h + slack) return n.id;
  }
  return null;
}

/** The low-detail drawing (render inside `<ReactFlow>` while big-graph.ts gives it something to draw). */
export function LowDetailLayer({ nodes, edges, fill = kindColor }: LowDetailLayerProps) {
  const view = useStore(viewSelector, sameView);
  const ref = useRef<HTMLCanvasElement>(null);
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;

  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { tx, ty, zoom, width, height } = view;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * tx, dpr * ty);
    // The visible flow rectangle, with a margin so curves entering from outside are drawn.
    const x1 = -tx / zoom - W;
    const y1 = -ty / zoom - H;
    const x2 = (width - tx) / zoom + W;
    const y2 = (height - ty) / zoom + H;
    ctx.beginPath();
    for (const e of edges) {
      const s = byId.get(e.source);
      const t = byId.get(e.target);
      if (!s || !t) continue;
      const sx = s.position.x + size(s).w;
      const sy = s.position.y + size(s).h / 2;
      const tx2 = t.position.x;
      const ty2 = t.position.y + size(t).h / 2;
      if (Math.max(sx, tx2) < x1 || Math.min(sx, tx2) > x2 || Math.max(sy, ty2) < y1 || Math.min(sy, ty2) > y2) continue;
      const dx = Math.max(40, Math.abs(tx2 - sx) / 2);
      ctx.moveTo(sx, sy);
      ctx.bezierCurveTo(sx + dx, sy, tx2 - dx, ty2, tx2, ty2);
    }
    ctx.strokeStyle = '#64748b';
    ctx.lineWidth = 1.5 / zoom;
    ctx.stroke();
    for (const n of nodes) {
      const { w, h } = size(n);
      const { x, y } = n.position;
      if (x > x2 || x + w < x1 || y > y2 || y + h < y1) continue;
      ctx.fillStyle = fill(n);
      ctx.fillRect(x, y, w, h);
      const sev = worstSeverity(n.data.issues);
      if (n.selected || sev) {
        ctx.strokeStyle = sev === 'error' ? '#ef4444' : n.selected ? '#f97316' : '#f59e0b';
        ctx.lineWidth = 3 / zoom;
        ctx.strokeRect(x, y, w, h);
      }
    }
  }, [view, nodes, byId, edges, dpr, fill]);

  return (
    <canvas
      ref={ref}
      className="low-detail-layer"
      data-testid="low-detail-layer"
      width={Math.round(view.width * dpr)}
      height={Math.round(view.height * dpr)}
      style={{ position: 'absolute', left: 0, top: 0, width: view.width, height: view.height, pointerEvents: 'none', zIndex: 0 }}
    />
  );
}
