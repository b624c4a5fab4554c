/** The node types the studio offers, with palette labels, colours and default configs. */
import type { NodeType } from '@llmctl/contracts';

/** Palette/catalog entry for one node type. */
export interface NodeKind {
  type: NodeType;
  label: string;
  description: string;
  /** Accent colour of the node on the canvas. */
  color: string;
  /** Whether the node may have an outgoing handle (every type but `end`). */
  hasSource: boolean;
  defaultConfig: () => Record<string, unknown>;
}

/** All node types in palette order. */
export const NODE_KINDS: readonly NodeKind[] = [
  { type: 'start', label: 'Start', description: 'Where a run begins; output is the run input', color: '#22c55e', hasSource: true, defaultConfig: () => ({}) },
  { type: 'end', label: 'End', description: 'Ends the run as succeeded', color: '#ef4444', hasSource: false, defaultConfig: () => ({}) },
  { type: 'task', label: 'Task', description: 'One LLM step', color: '#3b82f6', hasSource: true, defaultConfig: () => ({ model: '', prompt: '' }) },
  { type: 'decision', label: 'Decision', description: 'Chooses outgoing connectors', color: '#eab308', hasSource: true, defaultConfig: () => ({ mode: 'deterministic', match: 'first' }) },
  { type: 'memory', label: 'Memory', description: 'Add to or retrieve from memory', color: '#a855f7', hasSource: true, defaultConfig: () => ({ mode: 'deterministic', op: 'add', text: '' }) },
  { type: 'plan', label: 'Plan', description: 'Create or update a plan', color: '#14b8a6', hasSource: true, defaultConfig: () => ({ op: 'create_or_update', plan_key: '' }) },
  { type: 'milestone', label: 'Milestone', description: 'Milestone tracking', color: '#f97316', hasSource: true, defaultConfig: () => ({ op: 'create_or_update', milestone_key: '', title: '' }) },
  { type: 'rag', label: 'RAG', description: 'Retrieve from a collection', color: '#06b6d4', hasSource: true, defaultConfig: () => ({ collection: '', query: '', top_k: 5 }) },
  { type: 'flowchart', label: 'Flowchart', description: 'Run another flowchart as a child run', color: '#ec4899', hasSource: true, defaultConfig: () => ({ flowchart_id: '', wait: true }) },
];

/** Catalog entry for a type (unknown types get a neutral entry). */
export function nodeKind(type: string): NodeKind {
  return (
    NODE_KINDS.find((k) => k.type === type) ?? {
      type: type as NodeType,
      label: type,
      description: '',
      color: '#64748b',
      hasSource: true,
      defaultConfig: () => ({}),
    }
  );
}

/** Short one-line summary of a node's config, shown under its name on the canvas. */
export function nodeSummary(type: string, config: Record<string, unknown> | undefined): string {
  const c = config ?? {};
  const s = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
  switch (type) {
    case 'task':
      return s(c.model) || 'no model';
    case 'decision':
      return `${s(c.mode) || 'deterministic'} · ${s(c.match) || 'first'}`;
    case 'memory':
    case 'plan':
    case 'milestone':
      return [s(c.op), s(c.plan_key ?? c.milestone_key ?? c.scope)].filter(Boolean).join(' · ');
    case 'rag':
      return s(c.collection) || 'no collection';
    case 'flowchart':
      return s(c.flowchart_id) ? `→ ${s(c.flowchart_id)}` : 'no flowchart';
    default:
      return '';
  }
}
