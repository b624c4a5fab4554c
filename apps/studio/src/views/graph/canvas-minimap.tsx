/**
 * A minimap for big graphs: the nodes are drawn once into a `<canvas>` (again only when the nodes change), and only
 * the viewport rectangle follows a pan or zoom. React Flow's `<MiniMap>` keeps one SVG rect and one store
 * subscription per node and re-evaluates all of them on every viewport change: with 5,000 nodes that alone took
 * most of each panning frame. Clicking or dragging on the map centres the view there.
 */
import { useEffect, useMemo, useRef, type PointerEvent } from 'react';
import { Panel, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react';
import { nodeKind } from '../../core/node-catalog.ts';
import type { FlowNode } from './graph-types.ts';
import { UNMEASURED_NODE, nodeBounds } from './node-size.ts';

/** Props of {@link CanvasMiniMap}. */
export interface CanvasMiniMapProps {
  /** Every node of the graph (React Flow holds none while the low-detail layer draws them). */
  nodes: readonly FlowNode[];
  width: number;
  height: number;
  /** A node's colour (default: its kind's colour). */
  color?: (n: FlowNode) => string;
}

const kindColor = (n: FlowNode): string => nodeKind(String(n.type)).color;

const DEFAULT_W = UNMEASURED_NODE.width;
const DEFAULT_H = UNMEASURED_NODE.height;

function boundsOf(nodes: readonly FlowNode[]): { x: number; y: number; w: number; h: number } {
  const b = nodeBounds(nodes);
  if (!b) return { x: 0, y: 0, w: 1, h: 1 };
  const pad = Math.max(b.width, b.height) * 0.05;
  return { x: b.x - pad, y: b.y - pad, w: b.width + 2 * pad, h: b.height + 2 * pad };
}

type View = { tx: number; ty: number; zoom: number; width: number; height: number };
const viewSelector = (s: ReactFlowState): View => ({ tx: s.transform[0], ty: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height });
const sameView = (a: View, b: View): boolean => a.tx === b.tx && a.ty === b.ty && a.zoom === b.zoom && a.width === b.width && a.height === b.height;

/** The canvas minimap (render inside `<ReactFlow>`). */
export function CanvasMiniMap({ nodes, width, height, color = kindColor }: CanvasMiniMapProps) {
  const view = useStore(viewSelector, sameView);
  const rf = useReactFlow();
  const ref = useRef<HTMLCanvasElement>(null);
  const b = useMemo(() => boundsOf(nodes), [nodes]);
  const scale = Math.min(width / b.w, height / b.h);
  const ox = (width - b.w * scale) / 2;
  const oy = (height - b.h * scale) / 2;

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    for (const n of nodes) {
      ctx.fillStyle = color(n);
      const w = Math.max(1, (n.measured?.width ?? DEFAULT_W) * scale);
      const h = Math.max(1, (n.measured?.height ?? DEFAULT_H) * scale);
      ctx.fillRect(ox + (n.position.x - b.x) * scale, oy + (n.position.y - b.y) * scale, w, h);
    }
  }, [nodes, b, scale, ox, oy, width, height, color]);

  // The viewport in flow coordinates, then in map pixels.
  const vx = ox + (-view.tx / view.zoom - b.x) * scale;
  const vy = oy + (-view.ty / view.zoom - b.y) * scale;
  const vw = (view.width / view.zoom) * scale;
  const vh = (view.height / view.zoom) * scale;

  const centreAt = (e: PointerEvent<HTMLDivElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    const fx = b.x + (e.clientX - r.left - ox) / scale;
    const fy = b.y + (e.clientY - r.top - oy) / scale;
    void rf.setCenter(fx, fy, { zoom: rf.getZoom() });
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap canvas-minimap" data-testid="minimap" style={{ width, height }}>
      <div
        className="canvas-minimap-body nodrag nopan"
        style={{ position: 'relative', width, height, overflow: 'hidden', cursor: 'pointer' }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          centreAt(e);
        }}
        onPointerMove={(e) => {
          if (e.buttons & 1) centreAt(e);
        }}
      >
        <canvas ref={ref} width={width} height={height} style={{ display: 'block' }} />
        <div className="canvas-minimap-view" style={{ position: 'absolute', left: vx, top: vy, width: vw, height: vh, border: '1px solid #f97316', background: 'rgba(249, 115, 22, 0.12)', pointerEvents: 'none' }} />
      </div>
    </Panel>
  );
}
