/** Per-node-type config fields shown in the inspector (flowchart-v1.md "Nodes"). */
import type { NodeType } from '@llmctl/contracts';

/** One config field of a node form. */
export interface FieldSpec {
  key: string;
  label: string;
  kind: 'text' | 'textarea' | 'number' | 'select' | 'checkbox' | 'template' | 'schema' | 'model' | 'flowchart' | 'tools';
  options?: string[];
  hint?: string;
  step?: number;
  min?: number;
  max?: number;
  /** Default the runtime applies when the key is absent (shown as the placeholder / unset option). */
  default?: string | number | boolean;
  show?: (config: Record<string, unknown>) => boolean;
}

const onFailure: FieldSpec = { key: 'on_failure', label: 'On failure', kind: 'select', options: ['fail', 'fallback'], default: 'fail', hint: 'fallback: complete as success_with_warning' };
const llm = (c: Record<string, unknown>): boolean => c.mode === 'llm_guided';

/** Config fields per node type. */
export const CONFIG_FIELDS: Record<NodeType, FieldSpec[]> = {
  start: [],
  end: [{ key: 'output', label: 'Output template', kind: 'template', hint: 'optional; text or JSON with {{ path }} placeholders. Default: the triggering output' }],
  task: [
    { key: 'model', label: 'Model', kind: 'model' },
    { key: 'prompt', label: 'Prompt', kind: 'textarea', hint: 'template: {{input.x}}, {{upstream.node.field}}, {{context.node}}' },
    { key: 'system', label: 'System', kind: 'textarea' },
    { key: 'output_schema', label: 'Output schema (JSON Schema)', kind: 'schema', hint: 'when set, the output must validate' },
    { key: 'max_repair_attempts', label: 'Max repair attempts', kind: 'number', min: 0, default: 2 },
    { key: 'temperature', label: 'Temperature', kind: 'number', step: 0.1, min: 0, max: 2 },
    { key: 'max_tokens', label: 'Max tokens', kind: 'number', min: 1 },
    { key: 'tools', label: 'Tools', kind: 'tools', hint: 'comma-separated tool names the model may call' },
  ],
  decision: [
    { key: 'mode', label: 'Mode', kind: 'select', options: ['deterministic', 'llm_guided'], default: 'deterministic' },
    { key: 'match', label: 'Match', kind: 'select', options: ['first', 'all'], default: 'first' },
    { key: 'model', label: 'Model', kind: 'model', show: llm },
    { key: 'prompt', label: 'Prompt', kind: 'textarea', show: llm },
  ],
  memory: [
    { key: 'mode', label: 'Mode', kind: 'select', options: ['deterministic', 'llm_guided'], default: 'deterministic' },
    { key: 'op', label: 'Operation', kind: 'select', options: ['add', 'retrieve'] },
    { key: 'text', label: 'Text template', kind: 'template', show: (c) => c.op !== 'retrieve' },
    { key: 'query', label: 'Query template', kind: 'template', show: (c) => c.op === 'retrieve' },
    { key: 'scope', label: 'Scope', kind: 'text' },
    { key: 'limit', label: 'Limit', kind: 'number', min: 1, show: (c) => c.op === 'retrieve' },
    { key: 'model', label: 'Model', kind: 'model', show: llm },
    onFailure,
  ],
  plan: [
    { key: 'mode', label: 'Mode', kind: 'select', options: ['deterministic', 'llm_guided'], default: 'deterministic' },
    { key: 'op', label: 'Operation', kind: 'select', options: ['create_or_update', 'complete_item'] },
    { key: 'plan_key', label: 'Plan key', kind: 'text' },
    { key: 'items', label: 'Items template', kind: 'template', hint: 'JSON array or template', show: (c) => c.op !== 'complete_item' && !llm(c) },
    { key: 'item', label: 'Item template', kind: 'template', show: (c) => c.op === 'complete_item' },
    { key: 'model', label: 'Model', kind: 'model', show: llm },
    onFailure,
  ],
  milestone: [
    { key: 'op', label: 'Operation', kind: 'select', options: ['create_or_update', 'complete'] },
    { key: 'milestone_key', label: 'Milestone key', kind: 'text' },
    { key: 'title', label: 'Title template', kind: 'template' },
    { key: 'terminate', label: 'Terminate', kind: 'select', options: ['never', 'always', 'on_complete'], default: 'never', hint: 'always / on_complete end the run like an end node' },
    onFailure,
  ],
  rag: [
    { key: 'collection', label: 'Collection', kind: 'text' },
    { key: 'query', label: 'Query template', kind: 'template' },
    { key: 'top_k', label: 'Top k', kind: 'number', min: 1 },
    onFailure,
  ],
  flowchart: [
    { key: 'flowchart_id', label: 'Flowchart', kind: 'flowchart' },
    { key: 'input', label: 'Input template', kind: 'template', hint: 'JSON or text; default: the triggering output' },
    { key: 'wait', label: 'Wait for the child run', kind: 'checkbox', default: true, hint: 'off: finish once the child is started, output { child_run_id }' },
  ],
};
