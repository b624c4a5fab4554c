/** Builders for validation tests: small, explicit flowchart documents. */
import type { FlowchartDocument, FlowchartEdge, FlowchartNode, NodeType, ValidationIssue, ValidationResult } from '@llmctl/contracts';

/** The example document of shared/spec/flowchart-v1.md, verbatim. */
export const SPEC_EXAMPLE = {
  schema_version: 1,
  name: 'Ticket triage',
  description: 'optional',
  settings: { max_node_executions: 500, max_runtime_minutes: 60, max_parallel_nodes: 8 },
  nodes: [
    { id: 'start', type: 'start' },
    {
      id: 'classify', type: 'task', name: 'Classify',
      config: {
        model: 'demo-classifier', prompt: 'Classify: {{input.text}}',
        output_schema: { type: 'object', required: ['category'], properties: { category: { type: 'string' } } },
      },
      retry: { max_attempts: 3, backoff_ms: 200 }, timeout_s: 120,
    },
    { id: 'route', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
    { id: 'bug', type: 'task', config: { model: 'demo-classifier', prompt: '...' } },
    { id: 'other', type: 'task', config: { model: 'demo-classifier', prompt: '...' } },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'classify' },
    { id: 'e2', source: 'classify', target: 'route' },
    { id: 'e3', source: 'route', target: 'bug', route_key: 'bug', condition: "output.category = 'bug'" },
    { id: 'e4', source: 'route', target: 'other', route_key: 'other', fallback: true },
    { id: 'e5', source: 'bug', target: 'done' },
    { id: 'e6', source: 'other', target: 'done' },
  ],
} satisfies FlowchartDocument;

/** A node of any type; `task` nodes get a default model and prompt unless `config` is given. */
export function node(id: string, type: NodeType, extra: Partial<FlowchartNode> = {}): FlowchartNode {
  const config = type === 'task' ? { model: 'm', prompt: 'p' } : undefined;
  return { id, type, ...(config ? { config } : {}), ...extra };
}

/** A task node with the default model `m`. */
export function task(id: string, extra: Partial<FlowchartNode> = {}): FlowchartNode {
  return node(id, 'task', extra);
}

/** A deterministic decision node (`match` defaults to first). */
export function decision(id: string, config: Record<string, unknown> = {}, extra: Partial<FlowchartNode> = {}): FlowchartNode {
  return { id, type: 'decision', config: { mode: 'deterministic', ...config }, ...extra };
}

/** A connector (trigger unless `mode` says otherwise). */
export function edge(id: string, source: string, target: string, extra: Partial<FlowchartEdge> = {}): FlowchartEdge {
  return { id, source, target, ...extra };
}

/** A document from nodes and connectors. */
export function flow(nodes: FlowchartNode[], edges: FlowchartEdge[], extra: Partial<FlowchartDocument> = {}): FlowchartDocument {
  return { schema_version: 1, name: 'test', nodes, edges, ...extra };
}

/**
 * A linear chain `start → a → … → end` (ids given, connectors `c1`, `c2`, …), handy as a valid base document.
 */
export function chain(...middle: string[]): FlowchartDocument {
  const ids = ['start', ...middle, 'end'];
  const nodes = ids.map((id, i) => (i === 0 ? node(id, 'start') : i === ids.length - 1 ? node(id, 'end') : task(id)));
  const edges = ids.slice(1).map((id, i) => edge(`c${i + 1}`, ids[i] as string, id));
  return flow(nodes, edges);
}

/** Error codes of a result, in order. */
export function errorCodes(r: ValidationResult): string[] {
  return r.errors.map((i) => i.code);
}

/** Warning codes of a result, in order. */
export function warningCodes(r: ValidationResult): string[] {
  return r.warnings.map((i) => i.code);
}

/** Issues (errors and warnings) with the given code. */
export function issues(r: ValidationResult, code: string): ValidationIssue[] {
  return [...r.errors, ...r.warnings].filter((i) => i.code === code);
}
