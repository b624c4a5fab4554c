/**
 * Builds the React Flow nodes and connectors of the editor from the editor graph, reusing the previous object of
 * every node and connector whose inputs did not change. React Flow re-adopts (and re-renders) a node only when its
 * object changes, so a selection, a validation answer or one measured node no longer re-renders the whole canvas.
 */
import { MarkerType } from '@xyflow/react';
import type { CanvasEdge, CanvasNode } from '../../core/types.ts';
import type { Problem } from '../../core/validation-issues.ts';
import type { FlowEdge, FlowNode } from './graph-types.ts';
import { estimateHandles, estimateNodeSize, type NodeSize } from './node-size.ts';

/** Whether two problem lists say the same (validation answers rebuild the lists even when nothing changed). */
export function sameProblems(a: readonly Problem[] | undefined, b: readonly Problem[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((p, i) => p.code === b[i]!.code && p.message === b[i]!.message && p.severity === b[i]!.severity);
}

interface NodeEntry {
  src: CanvasNode;
  issues: Problem[] | undefined;
  selected: boolean;
  size: NodeSize | undefined;
  estimate: boolean;
  hidden: boolean;
  out: FlowNode;
}

interface EdgeEntry {
  src: CanvasEdge;
  issues: Problem[] | undefined;
  selected: boolean;
  onSelect: (id: string) => void;
  out: FlowEdge;
}

/** Inputs of {@link FlowElementCache.nodes}. */
export interface NodeInputs {
  nodes: readonly CanvasNode[];
  issuesByNode: ReadonlyMap<string, Problem[]>;
  selected: ReadonlySet<string>;
  /** Sizes the canvas measured that the graph does not hold yet. */
  sizes: ReadonlyMap<string, NodeSize>;
  /** Give unmeasured nodes an estimated size and handles (see node-size.ts), so that culling applies at once. */
  estimate: boolean;
  /** Hide every node (the low-detail layer draws them instead, see low-detail-layer.tsx). */
  hidden: boolean;
}

/** Keeps the last built node and connector objects by id. One instance per canvas. */
export class FlowElementCache {
  private nodeEntries = new Map<string, NodeEntry>();
  private edgeEntries = new Map<string, EdgeEntry>();

  /** The canvas nodes for the graph's nodes. */
  nodes({ nodes, issuesByNode, selected, sizes, estimate, hidden }: NodeInputs): FlowNode[] {
    const next = new Map<string, NodeEntry>();
    const out = nodes.map((n) => {
      const issues = issuesByNode.get(n.id);
      const sel = selected.has(n.id);
      const m = n.measured;
      const size = m?.width !== undefined && m.height !== undefined ? (m as NodeSize) : sizes.get(n.id);
      const prev = this.nodeEntries.get(n.id);
      if (prev && prev.src === n && sameProblems(prev.issues, issues) && prev.selected === sel && prev.size === size && prev.estimate === estimate && prev.hidden === hidden) {
        next.set(n.id, prev);
        return prev.out;
      }
      const fn: FlowNode = { id: n.id, type: n.type, position: n.position, data: issues ? { node: n.data.node, issues } : { node: n.data.node }, selected: sel };
      if (hidden) fn.hidden = true;
      if (size) fn.measured = size;
      else if (estimate) {
        const est = estimateNodeSize(n.id, n.data.node, issues);
        fn.measured = est;
        fn.handles = estimateHandles(n.type, est);
      }
      next.set(n.id, { src: n, issues, selected: sel, size, estimate, hidden, out: fn });
      return fn;
    });
    this.nodeEntries = next;
    return out;
  }

  /** The canvas connectors for the graph's edges. */
  edges(edges: readonly CanvasEdge[], issuesByEdge: ReadonlyMap<string, Problem[]>, selected: ReadonlySet<string>, onSelect: (id: string) => void): FlowEdge[] {
    const next = new Map<string, EdgeEntry>();
    const out = edges.map((e) => {
      const issues = issuesByEdge.get(e.id);
      const sel = selected.has(e.id);
      const prev = this.edgeEntries.get(e.id);
      if (prev && prev.src === e && sameProblems(prev.issues, issues) && prev.selected === sel && prev.onSelect === onSelect) {
        next.set(e.id, prev);
        return prev.out;
      }
      const fe: FlowEdge = {
        id: e.id,
        source: e.source,
        target: e.target,
        type: 'llmctl',
        selected: sel,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: issues ? '#ef4444' : '#64748b' },
        data: { edge: e.data.edge, onSelect, ...(issues ? { issues } : {}) },
      };
      next.set(e.id, { src: e, issues, selected: sel, onSelect, out: fe });
      return fe;
    });
    this.edgeEntries = next;
    return out;
  }
}
