/** The canvas node: type, name, summary, validation badge or run state; handles left (in) and right (out). */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { nodeKind, nodeSummary } from '../../core/node-catalog.ts';
import { worstSeverity } from '../../core/validation-issues.ts';
import type { FlowNode } from './graph-types.ts';

function FlowNodeViewImpl({ id, data, selected }: NodeProps<FlowNode>) {
  const { node, issues, run } = data;
  const kind = nodeKind(node.type);
  const sev = worstSeverity(issues);
  const first = issues?.[0];
  const cls = ['fnode', `t-${node.type}`, selected ? 'selected' : '', sev ? `issue-${sev}` : '', run ? `rs-${run.state}` : ''].filter(Boolean).join(' ');
  const summary = nodeSummary(node.type, node.config);
  return (
    <div className={cls} style={{ ['--accent' as string]: kind.color }} data-testid={`node-${id}`} data-node-type={node.type} data-state={run?.state} data-issue={sev ?? undefined}>
      <Handle type="target" position={Position.Left} className="handle" />
      <div className="fnode-head">
        <span className="fnode-type">{kind.label}</span>
        {run && run.count > 1 && <span className="fnode-count">×{run.count}</span>}
        {node.fan_in && <span className="fnode-chip" title="fan-in policy">{node.fan_in.policy === 'count' ? `count ${node.fan_in.count}` : node.fan_in.policy}</span>}
      </div>
      <div className="fnode-title">{node.name || id}</div>
      {node.name && node.name !== id && <div className="fnode-id">{id}</div>}
      {summary && <div className="fnode-sub">{summary}</div>}
      {run && (
        <div className={`fnode-state st-${run.state}`} data-testid={`node-state-${id}`} data-state={run.state}>
          {run.streaming ? '● ' : ''}
          {run.state.replace(/_/g, ' ')}
        </div>
      )}
      {run?.preview && (
        <div className="fnode-preview" data-testid={`node-preview-${id}`}>
          {run.preview}
        </div>
      )}
      {first && (
        <div className={`fnode-issue ${first.severity}`} data-testid={`node-issue-${id}`} data-code={first.code} title={issues!.map((i) => `${i.code}: ${i.message}`).join('\n')}>
          <b>{first.code}</b> {first.message}
          {issues!.length > 1 && <span className="more"> (+{issues!.length - 1})</span>}
        </div>
      )}
      {kind.hasSource && <Handle type="source" position={Position.Right} className="handle" />}
    </div>
  );
}

/** Memoised canvas node component. */
export const FlowNodeView = memo(FlowNodeViewImpl);
