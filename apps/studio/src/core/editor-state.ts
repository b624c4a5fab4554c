/**
 * The flowchart editor's state machine: a pure reducer over the graph history and the selection. The React layer
 * only translates canvas callbacks and key presses into these actions.
 */
import type { EdgeMode, FlowchartEdge, FlowchartNode, NodeType } from '@llmctl/contracts';
import type { Graph, GraphMeta, XY } from './types.ts';
import { checkpoint, createHistory, pushHistory, redo, replacePresent, undo, type History } from './history.ts';
import { addNode, autoLayoutGraph, connect, freePosition, measureNodes, moveNodes, removeElements, renameNode, updateEdge, updateNode } from './graph-ops.ts';
import { pasteClipboard, type Clipboard } from './clipboard.ts';
import { graphToDocument } from './document-graph.ts';

/** Editor state: undoable graph, selection, drag flag and the saved document (for the dirty flag). */
export interface EditorState {
  history: History<Graph>;
  selectedNodes: string[];
  selectedEdges: string[];
  dragging: boolean;
  /** JSON of the document as last loaded or saved. */
  savedJson: string;
}

/** Every action the editor reducer understands. */
export type EditorAction =
  | { type: 'load'; graph: Graph }
  | { type: 'saved' }
  /** Replaces the graph as one undoable edit, keeping the saved document (a restored draft is unsaved work). */
  | { type: 'restore'; graph: Graph }
  | { type: 'addNode'; nodeType: NodeType; position: XY; avoidOverlap?: boolean }
  | { type: 'connect'; source: string; target: string; mode?: EdgeMode }
  | { type: 'deleteSelection' }
  | { type: 'select'; nodes: string[]; edges: string[] }
  | { type: 'selectChanges'; nodes: { id: string; selected: boolean }[]; edges: { id: string; selected: boolean }[] }
  | { type: 'move'; positions: [string, XY][]; dragging: boolean }
  | { type: 'measure'; sizes: [string, { width: number; height: number }][] }
  | { type: 'updateNode'; id: string; fn: (node: FlowchartNode) => FlowchartNode; key?: string }
  | { type: 'updateEdge'; id: string; patch: Partial<Omit<FlowchartEdge, 'id' | 'source' | 'target'>>; key?: string }
  | { type: 'renameNode'; from: string; to: string }
  | { type: 'setMeta'; meta: GraphMeta; key?: string }
  | { type: 'paste'; clip: Clipboard; offset?: XY }
  | { type: 'layout' }
  | { type: 'undo' }
  | { type: 'redo' };

/** JSON of the document a graph saves as (positions included). */
export function documentJson(graph: Graph): string {
  return JSON.stringify(graphToDocument(graph));
}

/** Initial state for a loaded graph. */
export function initEditor(graph: Graph): EditorState {
  return { history: createHistory(graph), selectedNodes: [], selectedEdges: [], dragging: false, savedJson: documentJson(graph) };
}

/** Whether the current graph differs from the last loaded or saved document. */
export function isDirty(state: EditorState): boolean {
  return documentJson(state.history.present) !== state.savedJson;
}

function keepSelection(state: EditorState, graph: Graph): Pick<EditorState, 'selectedNodes' | 'selectedEdges'> {
  const n = new Set(graph.nodes.map((x) => x.id));
  const e = new Set(graph.edges.map((x) => x.id));
  return { selectedNodes: state.selectedNodes.filter((id) => n.has(id)), selectedEdges: state.selectedEdges.filter((id) => e.has(id)) };
}

function commit(state: EditorState, graph: Graph, key?: string): EditorState {
  if (graph === state.history.present) return state;
  return { ...state, history: pushHistory(state.history, graph, key), ...keepSelection(state, graph) };
}

function toggle(list: string[], changes: { id: string; selected: boolean }[]): string[] {
  if (changes.length === 0) return list;
  const set = new Set(list);
  for (const c of changes) {
    if (c.selected) set.add(c.id);
    else set.delete(c.id);
  }
  return [...set];
}

/** The editor reducer. */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  const g = state.history.present;
  switch (action.type) {
    case 'load':
      return initEditor(action.graph);
    case 'saved':
      return { ...state, savedJson: documentJson(g) };
    case 'restore':
      return { ...commit(state, action.graph), selectedNodes: [], selectedEdges: [] };
    case 'addNode': {
      const r = addNode(g, action.nodeType, action.avoidOverlap ? freePosition(g, action.position) : action.position);
      return { ...commit(state, r.graph), selectedNodes: [r.id], selectedEdges: [] };
    }
    case 'connect': {
      const r = connect(g, action.source, action.target, action.mode);
      return r ? { ...commit(state, r.graph), selectedNodes: [], selectedEdges: [r.id] } : state;
    }
    case 'deleteSelection':
      return commit(state, removeElements(g, state.selectedNodes, state.selectedEdges));
    case 'select':
      return { ...state, selectedNodes: [...action.nodes], selectedEdges: [...action.edges] };
    case 'selectChanges':
      return { ...state, selectedNodes: toggle(state.selectedNodes, action.nodes), selectedEdges: toggle(state.selectedEdges, action.edges) };
    case 'move': {
      const next = moveNodes(g, new Map(action.positions));
      if (action.dragging) {
        const h = state.dragging ? state.history : checkpoint(state.history);
        return { ...state, dragging: true, history: replacePresent(h, next) };
      }
      if (state.dragging) return { ...state, dragging: false, history: replacePresent(state.history, next) };
      return commit(state, next, 'keyboard-move');
    }
    case 'measure':
      return { ...state, history: replacePresent(state.history, measureNodes(g, new Map(action.sizes))) };
    case 'updateNode':
      return commit(state, updateNode(g, action.id, action.fn), action.key);
    case 'updateEdge':
      return commit(state, updateEdge(g, action.id, action.patch), action.key);
    case 'renameNode': {
      const r = renameNode(g, action.from, action.to);
      if (typeof r === 'string') return state;
      const next = commit(state, r);
      return { ...next, selectedNodes: state.selectedNodes.map((id) => (id === action.from ? action.to : id)) };
    }
    case 'setMeta':
      return commit(state, { ...g, meta: action.meta }, action.key);
    case 'paste': {
      const r = pasteClipboard(g, action.clip, action.offset);
      return { ...commit(state, r.graph), selectedNodes: r.nodeIds, selectedEdges: r.edgeIds };
    }
    case 'layout':
      return commit(state, autoLayoutGraph(g));
    case 'undo': {
      const h = undo(state.history);
      return { ...state, history: h, ...keepSelection(state, h.present) };
    }
    case 'redo': {
      const h = redo(state.history);
      return { ...state, history: h, ...keepSelection(state, h.present) };
    }
  }
}
