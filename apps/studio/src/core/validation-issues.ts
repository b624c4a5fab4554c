/** Mapping validation problems onto the nodes and connectors they concern. */
import type { FlowchartDocument, ValidationIssue, ValidationResult } from '@llmctl/contracts';

/** A problem with its severity. */
export interface Problem extends ValidationIssue {
  severity: 'error' | 'warning';
  /** The node / connector it concerns (resolved from ids or the JSON-pointer path). */
  target: { nodeId?: string; edgeId?: string };
}

/** Problems indexed by node id and edge id; problems about neither are `general`. */
export interface IssueIndex {
  all: Problem[];
  byNode: Map<string, Problem[]>;
  byEdge: Map<string, Problem[]>;
  general: Problem[];
}

/**
 * Resolves which node / edge a problem concerns: its `node_id` / `edge_id`, else a JSON-pointer `path` such as
 * `/nodes/3/config/model` or `/edges/1` resolved against the document that was validated.
 */
export function problemTarget(issue: ValidationIssue, doc?: Pick<FlowchartDocument, 'nodes' | 'edges'>): { nodeId?: string; edgeId?: string } {
  if (issue.node_id || issue.edge_id) {
    const t: { nodeId?: string; edgeId?: string } = {};
    if (issue.node_id) t.nodeId = issue.node_id;
    if (issue.edge_id) t.edgeId = issue.edge_id;
    return t;
  }
  const m = /^\/?(nodes|edges)\/(\d+)(?:\/|$)/.exec(issue.path ?? '');
  if (m && doc) {
    const i = Number(m[2]);
    if (m[1] === 'nodes') {
      const id = doc.nodes[i]?.id;
      if (id) return { nodeId: id };
    } else {
      const id = doc.edges[i]?.id;
      if (id) return { edgeId: id };
    }
  }
  return {};
}

/** Indexes a validation result (errors first, then warnings). */
export function indexIssues(result: Pick<ValidationResult, 'errors' | 'warnings'> | null | undefined, doc?: Pick<FlowchartDocument, 'nodes' | 'edges'>): IssueIndex {
  const idx: IssueIndex = { all: [], byNode: new Map(), byEdge: new Map(), general: [] };
  if (!result) return idx;
  const add = (issue: ValidationIssue, severity: Problem['severity']): void => {
    const t = problemTarget(issue, doc);
    const p: Problem = { ...issue, severity, target: t };
    idx.all.push(p);
    if (t.nodeId) idx.byNode.set(t.nodeId, [...(idx.byNode.get(t.nodeId) ?? []), p]);
    if (t.edgeId) idx.byEdge.set(t.edgeId, [...(idx.byEdge.get(t.edgeId) ?? []), p]);
    if (!t.nodeId && !t.edgeId) idx.general.push(p);
  };
  for (const e of result.errors ?? []) add(e, 'error');
  for (const w of result.warnings ?? []) add(w, 'warning');
  return idx;
}

/** The worst severity in a list of problems, or null when empty. */
export function worstSeverity(problems: readonly Problem[] | undefined): Problem['severity'] | null {
  if (!problems || problems.length === 0) return null;
  return problems.some((p) => p.severity === 'error') ? 'error' : 'warning';
}
