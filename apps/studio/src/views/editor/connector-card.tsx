/** Editor for one connector: mode, condition (JSONata, checked as you type), route key, fallback, required. */
import { useMemo } from 'react';
import type { FlowchartEdge } from '@llmctl/contracts';
import { checkCondition } from '../../core/condition-check.ts';
import { Field } from '../../ui/common.tsx';
import { useEditor } from './editor-context.ts';
import { ProblemList } from './problems.tsx';
import { TemplateTextarea } from './template-textarea.tsx';
import { completionPaths, outputFields } from '../../core/template-vars.ts';

/** One connector's form (used in the Routing tab and when a connector is selected). */
export function ConnectorCard({ edge, showSource }: { edge: FlowchartEdge; showSource?: boolean }) {
  const { graph, dispatch, issues } = useEditor();
  const sourceType = graph.nodes.find((n) => n.id === edge.source)?.type;
  const isContext = edge.mode === 'context';
  const condError = useMemo(() => checkCondition(edge.condition ?? ''), [edge.condition]);
  const upd = (patch: Partial<FlowchartEdge>, field: string): void => dispatch({ type: 'updateEdge', id: edge.id, patch, key: `${edge.id}.${field}` });
  const problems = issues.byEdge.get(edge.id) ?? [];
  // A condition reads the source node's scope and its output.
  const source = graph.nodes.find((n) => n.id === edge.source)?.data.node;
  const paths = useMemo(() => ['output', ...outputFields(source).map((f) => `output.${f}`), ...completionPaths(graph, edge.source)], [graph, edge.source, source]);
  return (
    <div className={`connector-card${problems.length ? ' has-issues' : ''}`} data-testid={`connector-${edge.id}`}>
      <div className="connector-head">
        <code>{edge.id}</code>
        <span>
          {showSource ? `${edge.source} → ` : '→ '}
          <b>{edge.target}</b>
        </span>
        <div className="seg" role="group" aria-label="connector mode">
          <button className={!isContext ? 'on' : ''} onClick={() => upd({ mode: 'trigger' }, 'mode')} data-testid={`connector-mode-trigger-${edge.id}`}>
            trigger
          </button>
          <button className={isContext ? 'on' : ''} onClick={() => upd({ mode: 'context' }, 'mode')} data-testid={`connector-mode-context-${edge.id}`}>
            context
          </button>
        </div>
      </div>
      {(!isContext || edge.condition) && (
        <Field label="Condition (JSONata)" error={condError} hint={isContext ? 'conditions are not allowed on context connectors' : 'scope: output, input, context, upstream, node — empty: always taken'}>
          <TemplateTextarea
            className={`mono${condError ? ' invalid' : ''}`}
            rows={2}
            value={edge.condition ?? ''}
            paths={paths}
            mode="condition"
            placeholder={edge.fallback ? '(fallback: taken when no other connector matches)' : 'none — always taken'}
            testid={`condition-${edge.id}`}
            onChange={(v) => upd({ condition: v }, 'condition')}
          />
        </Field>
      )}
      {condError && <span className="hidden" data-testid={`condition-error-${edge.id}`}>{condError}</span>}
      <div className="row">
        <Field label="Route key">
          <input type="text" value={edge.route_key ?? ''} data-testid={`route-key-${edge.id}`} onChange={(e) => upd({ route_key: e.target.value }, 'route_key')} />
        </Field>
        {!isContext && (
          <label className="check" title={sourceType === 'decision' ? 'taken when no other connector matches' : 'only decision connectors can be fallbacks'}>
            <input type="checkbox" checked={!!edge.fallback} data-testid={`fallback-${edge.id}`} onChange={(e) => upd({ fallback: e.target.checked }, 'fallback')} />
            fallback
          </label>
        )}
        {isContext && (
          <label className="check" title="the target fails with context_missing when the source has no output">
            <input type="checkbox" checked={!!edge.required} data-testid={`required-${edge.id}`} onChange={(e) => upd({ required: e.target.checked }, 'required')} />
            required
          </label>
        )}
      </div>
      {problems.length > 0 && <ProblemList problems={problems} compact />}
    </div>
  );
}
