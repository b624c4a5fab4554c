/**
 * Fan-in policy editor for a node's incoming trigger connectors. The rule is the engine's (what is a join, the
 * default policy, the valid count range: `@llmctl/engine` fan-in-policy.ts); the server's validation reports the rest
 * (`fan_in_deadlock`, `fan_in_after_exclusive_branch`) on save.
 */
import type { FanIn, FlowchartNode } from '@llmctl/contracts';
import { DEFAULT_FAN_IN, fanInCountValid, isJoin } from '@llmctl/engine';
import { joinInputCount, setNodeField } from '../../core/graph-ops.ts';
import { Field } from '../../ui/common.tsx';
import { useEditor } from './editor-context.ts';

/** Edits `fan_in` (policy and count) of a node; explains when it is ignored. */
export function FanInEditor({ node }: { node: FlowchartNode }) {
  const { graph, dispatch } = useEditor();
  const incoming = joinInputCount(graph, node);
  const fan = node.fan_in;
  const set = (f: FanIn | undefined): void => dispatch({ type: 'updateNode', id: node.id, fn: (n) => setNodeField(n, 'fan_in', f), key: `${node.id}.fan_in` });
  return (
    <div className="fan-in" data-testid="fan-in-editor">
      <div className="muted small">
        {incoming} incoming trigger connector{incoming === 1 ? '' : 's'}
        {isJoin(incoming) ? ' — this node is a join' : ' — not a join: fan_in is ignored (warning fan_in_ignored when set)'}
      </div>
      <div className="row">
        <Field label="Fan-in policy">
          <select
            value={fan?.policy ?? ''}
            data-testid="fan-in-policy"
            onChange={(e) => {
              const p = e.target.value;
              if (p === '') set(undefined);
              else if (p === 'count') set({ policy: 'count', count: Math.max(1, Math.min(2, incoming)) });
              else set({ policy: p as 'all' | 'any' | 'inclusive' });
            }}
          >
            <option value="">{DEFAULT_FAN_IN.policy} (default)</option>
            <option value="inclusive">inclusive — wait for every input that can still deliver</option>
            <option value="all">all — every input, fail loudly when one cannot come</option>
            <option value="any">any — every token activates the node</option>
            <option value="count">count N — quorum of N inputs</option>
          </select>
        </Field>
        {fan?.policy === 'count' && (
          <Field label="N" error={fanInCountValid(fan.count, incoming) ? null : `a whole number, 1 ≤ N ≤ ${incoming}`}>
            <input type="number" min={1} max={Math.max(1, incoming)} value={fan.count} data-testid="fan-in-count" onChange={(e) => set({ policy: 'count', count: Math.trunc(Number(e.target.value) || 1) })} />
          </Field>
        )}
      </div>
    </div>
  );
}
