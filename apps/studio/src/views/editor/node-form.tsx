/** The inspector's Node tab: id, name, per-type config, retry / timeout, fan-in and the raw config. */
import { useState } from 'react';
import type { FlowchartNode, NodeType, RetryPolicy } from '@llmctl/contracts';
import { ID_PATTERN, renameNode, setConfigField, setNodeField } from '../../core/graph-ops.ts';
import { nodeKind } from '../../core/node-catalog.ts';
import { parseJsonObject, prettyJson } from '../../core/json-text.ts';
import { Field, Section } from '../../ui/common.tsx';
import { JsonField } from '../../ui/json-field.tsx';
import { CONFIG_FIELDS } from './field-specs.ts';
import { ConfigInput, numberOrUndefined } from './config-inputs.tsx';
import { FanInEditor } from './fan-in-editor.tsx';
import { useEditor } from './editor-context.ts';
import { ProblemList } from './problems.tsx';
import { completionPaths, insertAt, templateVariables } from '../../core/template-vars.ts';

function IdField({ node }: { node: FlowchartNode }) {
  const { graph, dispatch } = useEditor();
  const [text, setText] = useState(node.id);
  const error = text === node.id ? null : !ID_PATTERN.test(text) ? 'A-Z a-z 0-9 _ - (1-64)' : graph.nodes.some((n) => n.id === text) ? 'already used' : null;
  const apply = (): void => {
    if (text === node.id || error) return;
    const r = renameNode(graph, node.id, text);
    if (typeof r !== 'string') dispatch({ type: 'renameNode', from: node.id, to: text });
  };
  return (
    <Field label="Id" error={error} hint={text !== node.id ? 'press Enter to rename (connectors follow)' : 'referenced by templates as upstream.<id>'}>
      <input type="text" value={text} data-testid="node-id-input" onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} />
    </Field>
  );
}

/** Chips of the variables this node can read; a click appends the placeholder to the field. */
function TemplateVarPicker({ nodeId, field, onPick }: { nodeId: string; field: string; onPick: (text: string) => void }) {
  const { graph } = useEditor();
  const vars = templateVariables(graph, nodeId);
  return (
    <div className="template-vars" data-testid={`template-vars-${field}`}>
      <span className="muted small">insert</span>
      {vars.map((v) => (
        <button key={v.path} type="button" className="chip" onClick={() => onPick(v.insert)} data-path={v.path} title={`Insert ${v.insert}`}>
          {v.path}
        </button>
      ))}
    </div>
  );
}

/** Node tab for one node. */
export function NodeForm({ node }: { node: FlowchartNode }) {
  const { dispatch, issues, graph } = useEditor();
  const kind = nodeKind(node.type);
  const paths = completionPaths(graph, node.id);
  const config = node.config ?? {};
  const specs = CONFIG_FIELDS[node.type as NodeType] ?? [];
  const setCfg = (key: string, value: unknown): void => dispatch({ type: 'updateNode', id: node.id, fn: (n) => setConfigField(n, key, value), key: `${node.id}.config.${key}` });
  const setRetry = (key: keyof RetryPolicy, value: number | undefined): void =>
    dispatch({
      type: 'updateNode',
      id: node.id,
      key: `${node.id}.retry.${key}`,
      fn: (n) => {
        const retry: RetryPolicy = { ...(n.retry ?? {}) };
        if (value === undefined) delete retry[key];
        else retry[key] = value;
        return setNodeField(n, 'retry', Object.keys(retry).length ? retry : undefined);
      },
    });
  const problems = issues.byNode.get(node.id) ?? [];
  return (
    <div className="node-form" data-testid="node-form" data-node-id={node.id}>
      <div className="kind-line" style={{ ['--accent' as string]: kind.color }}>
        <span className="dot" /> {kind.label} <span className="muted">— {kind.description}</span>
      </div>
      {problems.length > 0 && <ProblemList problems={problems} />}
      <IdField node={node} />
      <Field label="Name">
        <input type="text" value={node.name ?? ''} data-testid="node-name-input" onChange={(e) => dispatch({ type: 'updateNode', id: node.id, fn: (n) => setNodeField(n, 'name', e.target.value), key: `${node.id}.name` })} />
      </Field>
      {specs.length > 0 && (
        <Section title="Configuration">
          {specs
            .filter((s) => !s.show || s.show(config))
            .map((s) => (
              <Field key={s.key} label={s.label} hint={s.hint}>
                <ConfigInput spec={s} value={config[s.key]} onChange={(v) => setCfg(s.key, v)} testid={`config-${s.key}`} paths={paths} />
                {(s.key === 'prompt' || s.key === 'system' || s.kind === 'template') && (config[s.key] === undefined || typeof config[s.key] === 'string') && (
                  <TemplateVarPicker nodeId={node.id} field={s.key} onPick={(text) => setCfg(s.key, insertAt(String(config[s.key] ?? ''), text))} />
                )}
              </Field>
            ))}
        </Section>
      )}
      {node.type !== 'start' && (
        <Section title="Execution">
          <div className="row">
            <Field label="Max attempts" hint="default 1">
              <input type="number" min={1} value={node.retry?.max_attempts ?? ''} data-testid="retry-max-attempts" onChange={(e) => setRetry('max_attempts', numberOrUndefined(e.target.value))} />
            </Field>
            <Field label="Backoff ms">
              <input type="number" min={0} value={node.retry?.backoff_ms ?? ''} data-testid="retry-backoff-ms" onChange={(e) => setRetry('backoff_ms', numberOrUndefined(e.target.value))} />
            </Field>
            <Field label="Timeout s">
              <input
                type="number"
                min={1}
                value={node.timeout_s ?? ''}
                data-testid="timeout-s"
                onChange={(e) => dispatch({ type: 'updateNode', id: node.id, fn: (n) => setNodeField(n, 'timeout_s', numberOrUndefined(e.target.value)), key: `${node.id}.timeout_s` })}
              />
            </Field>
          </div>
          <FanInEditor node={node} />
        </Section>
      )}
      <Section title="Raw config (JSON)">
        <JsonField<Record<string, unknown> | undefined>
          value={node.config}
          parse={(t) => parseJsonObject(t)}
          format={(v) => (v === undefined ? '' : prettyJson(v))}
          onChange={(v) => dispatch({ type: 'updateNode', id: node.id, fn: (n) => setNodeField(n, 'config', v && Object.keys(v).length ? v : undefined), key: `${node.id}.config.raw` })}
          rows={6}
          testid="config-raw"
        />
      </Section>
    </div>
  );
}
