/** The problems list: every validation error and warning, clickable to select what it concerns. */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { fitNodes } from '../graph/fit-nodes.ts';
import type { Problem } from '../../core/validation-issues.ts';
import { useEditor } from './editor-context.ts';

/** A compact list of problems (no navigation). */
export function ProblemList({ problems, compact }: { problems: Problem[]; compact?: boolean }) {
  return (
    <ul className={`problem-list${compact ? ' compact' : ''}`}>
      {problems.map((p, i) => (
        <li key={i} className={p.severity} data-code={p.code}>
          <span className={`sev ${p.severity}`}>{p.severity === 'error' ? '✕' : '!'}</span>
          <code>{p.code}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}

/** Props of {@link ProblemsPanel}. */
export interface ProblemsPanelProps {
  validating: boolean;
  checkedOnce: boolean;
  error: unknown;
}

/** The editor's problems panel under the canvas. */
export function ProblemsPanel({ validating, checkedOnce, error }: ProblemsPanelProps) {
  const { issues, dispatch, graph } = useEditor();
  const rf = useReactFlow();
  const store = useStoreApi();
  // Fits the view to nodes of the graph; a big graph's React Flow holds only a window of them (../graph/view-window.ts).
  const show = (ids: string[]): void => {
    if (ids.every((id) => rf.getNode(id))) void rf.fitView({ nodes: ids.map((id) => ({ id })), duration: 300, maxZoom: 1.2 });
    else fitNodes(rf, store.getState(), graph.nodes.filter((n) => ids.includes(n.id)), { duration: 300, maxZoom: 1.2 });
  };
  const errors = issues.all.filter((p) => p.severity === 'error').length;
  const warnings = issues.all.length - errors;
  const go = (p: Problem): void => {
    const t = p.target;
    if (t.nodeId && graph.nodes.some((n) => n.id === t.nodeId)) {
      dispatch({ type: 'select', nodes: [t.nodeId], edges: [] });
      show([t.nodeId]);
    } else if (t.edgeId && graph.edges.some((e) => e.id === t.edgeId)) {
      const e = graph.edges.find((x) => x.id === t.edgeId)!;
      dispatch({ type: 'select', nodes: [], edges: [t.edgeId] });
      show([e.source, e.target]);
    }
  };
  return (
    <div className="problems" data-testid="problems" data-errors={errors} data-warnings={warnings}>
      <div className="problems-head">
        <span className="panel-title">Problems</span>
        <span className={errors ? 'count err' : 'count'}>{errors} errors</span>
        <span className={warnings ? 'count warn' : 'count'}>{warnings} warnings</span>
        {validating && <span className="muted small">validating…</span>}
      </div>
      {error ? (
        <div className="problems-note field-error" data-testid="validation-request-error">
          Validation request failed: {error instanceof Error ? error.message : String(error)}
        </div>
      ) : null}
      {issues.all.length === 0 ? (
        <div className="problems-note muted" data-testid="problems-empty">
          {checkedOnce ? 'No problems.' : 'Not validated yet.'}
        </div>
      ) : (
        <ul className="problem-list">
          {issues.all.map((p, i) => (
            <li key={i} className={`${p.severity} clickable`} data-testid="problem" data-code={p.code} data-severity={p.severity} onClick={() => go(p)}>
              <span className={`sev ${p.severity}`}>{p.severity === 'error' ? '✕' : '!'}</span>
              <code>{p.code}</code>
              <span className="problem-msg">{p.message}</span>
              <span className="problem-where muted">{p.target.nodeId ? `node ${p.target.nodeId}` : p.target.edgeId ? `connector ${p.target.edgeId}` : p.path || 'document'}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
