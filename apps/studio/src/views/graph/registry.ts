/** Stable nodeTypes / edgeTypes maps for React Flow (defined once at module level). */
import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { NODE_KINDS } from '../../core/node-catalog.ts';
import { FlowNodeView } from './flow-node.tsx';
import { FlowEdgeView } from './flow-edge.tsx';

/** Every node type renders with {@link FlowNodeView}. */
export const nodeTypes: NodeTypes = { ...Object.fromEntries(NODE_KINDS.map((k) => [k.type, FlowNodeView])), default: FlowNodeView };
/** All connectors use {@link FlowEdgeView}. */
export const edgeTypes: EdgeTypes = { llmctl: FlowEdgeView, default: FlowEdgeView };
