import type { MigrationIssue } from './types.ts';

/** Collects report issues; policy issues are errors only under `strict`. */
export class IssueList {
  readonly items: MigrationIssue[] = [];
  constructor(private readonly strict: boolean) {}

  private add(code: string, severity: 'error' | 'warning', message: string, at: { node?: number; edge?: number }): void {
    const i: MigrationIssue = { code, severity, message };
    if (at.node !== undefined) Object.assign(i, { legacy_node_id: at.node, node_id: `n${at.node}` });
    if (at.edge !== undefined) Object.assign(i, { legacy_edge_id: at.edge, edge_id: `e${at.edge}` });
    this.items.push(i);
  }

  /** A blocking issue. */
  error(code: string, message: string, at: { node?: number; edge?: number } = {}): void {
    this.add(code, 'error', message, at);
  }

  /** A non-blocking issue. */
  warn(code: string, message: string, at: { node?: number; edge?: number } = {}): void {
    this.add(code, 'warning', message, at);
  }

  /** A policy issue: an error when strict, else a warning (`strict: false`). */
  policy(code: string, message: string, at: { node?: number; edge?: number } = {}): void {
    this.add(code, this.strict ? 'error' : 'warning', message, at);
  }
}
