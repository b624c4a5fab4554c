import type { FlowchartEdge, FlowchartNode, ValidationIssue } from '@llmctl/contracts';

/** Where an issue points: a JSON pointer into the document, and the node or connector it concerns. */
export interface IssueLocation {
  path: string;
  node_id?: string;
  edge_id?: string;
}

/** Collects errors and warnings in the order the rules find them. */
export class IssueCollector {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];

  /** Records a blocking problem. */
  error(code: string, message: string, at: IssueLocation, extra?: Record<string, unknown>): void {
    this.errors.push(makeIssue(code, message, at, extra));
  }

  /** Records a non-blocking problem. */
  warn(code: string, message: string, at: IssueLocation, extra?: Record<string, unknown>): void {
    this.warnings.push(makeIssue(code, message, at, extra));
  }
}

function makeIssue(code: string, message: string, at: IssueLocation, extra?: Record<string, unknown>): ValidationIssue {
  const issue = { code, message } as ValidationIssue;
  if (at.node_id !== undefined) issue.node_id = at.node_id;
  if (at.edge_id !== undefined) issue.edge_id = at.edge_id;
  issue.path = at.path;
  return extra ? Object.assign(issue, extra) : issue;
}

/** `node "classify"`, or `node "classify" (Classify)` when it has a distinct name. */
export function nodeLabel(node: Pick<FlowchartNode, 'id' | 'name'>): string {
  return node.name && node.name !== node.id ? `node "${node.id}" (${node.name})` : `node "${node.id}"`;
}

/** `connector "e3" (route → bug)`. */
export function edgeLabel(edge: Pick<FlowchartEdge, 'id' | 'source' | 'target'>): string {
  return `connector "${edge.id}" (${edge.source} → ${edge.target})`;
}

/** Upper-cases the first letter (labels start sentences). */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
