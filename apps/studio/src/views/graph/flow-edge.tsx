/**
 * The canvas connector: solid for trigger, dotted for context, a label with route key / condition / problems.
 * Clicking anywhere on it, label included, selects it; its mode is changed in the inspector.
 */
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { worstSeverity } from '../../core/validation-issues.ts';
import type { FlowEdge } from './graph-types.ts';

function shorten(s: string, n = 28): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function FlowEdgeViewImpl(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const edge = data?.edge;
  const isContext = edge?.mode === 'context';
  const sev = worstSeverity(data?.issues);
  const hl = data?.highlight;
  const color = sev === 'error' ? '#ef4444' : sev === 'warning' ? '#f59e0b' : hl === 'selected' ? '#22c55e' : hl === 'taken' ? '#4ade80' : selected ? '#f97316' : '#64748b';
  const style = {
    stroke: color,
    strokeWidth: hl === 'selected' ? 3 : selected || sev ? 2 : 1.5,
    strokeDasharray: isContext ? '5 5' : undefined,
    opacity: hl === 'taken' ? 0.8 : 1,
  };
  const parts: string[] = [];
  if (edge?.route_key) parts.push(`[${edge.route_key}]`);
  if (edge?.condition) parts.push(shorten(edge.condition));
  if (edge?.fallback) parts.push('fallback');
  if (isContext) parts.push(edge?.required ? 'context · required' : 'context');
  const first = data?.issues?.[0];
  const hasLabel = parts.length > 0 || !!first;
  return (
    <>
      <BaseEdge id={id} path={path} style={style} {...(markerEnd ? { markerEnd } : {})} interactionWidth={16} />
      {hasLabel && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label nodrag nopan${selected ? ' selected' : ''}${hl ? ` hl-${hl}` : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)` }}
            data-testid={`edge-label-${id}`}
            data-mode={isContext ? 'context' : 'trigger'}
            data-highlight={hl}
            onClick={data?.onSelect ? (e) => {
              e.stopPropagation();
              data.onSelect?.(id);
            } : undefined}
          >
            {parts.length > 0 && <span className="edge-text">{parts.join(' ')}</span>}
            {first && (
              <span className={`edge-issue ${first.severity}`} data-testid={`edge-issue-${id}`} data-code={first.code} title={data!.issues!.map((i) => `${i.code}: ${i.message}`).join('\n')}>
                {first.code}
              </span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** Memoised connector component. */
export const FlowEdgeView = memo(FlowEdgeViewImpl);
