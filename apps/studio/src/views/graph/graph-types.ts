/** Data carried by canvas nodes and edges in the editor and the run view. */
import type { Edge, Node } from '@xyflow/react';
import type { FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import type { Problem } from '../../core/validation-issues.ts';
import type { NodeDisplayState } from '../../core/run-state.ts';

/** Node data: the flowchart node plus validation problems or run state. */
export type FlowNodeData = {
  node: FlowchartNode;
  issues?: Problem[];
  run?: { state: NodeDisplayState; count: number; streaming?: boolean; preview?: string };
};

/** Edge data: the flowchart edge plus problems, run highlighting and what a click on its label does. */
export type FlowEdgeData = {
  edge: FlowchartEdge;
  issues?: Problem[];
  /** `selected`: matched by the selected node run; `taken`: matched by some node run of the run. */
  highlight?: 'selected' | 'taken';
  /** Clicking the label selects the connector (the mode is changed in the inspector). */
  onSelect?: (edgeId: string) => void;
};

export type FlowNode = Node<FlowNodeData>;
export type FlowEdge = Edge<FlowEdgeData>;
