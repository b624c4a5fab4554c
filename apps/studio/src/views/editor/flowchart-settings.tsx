/** Inspector content when nothing is selected: name, description and guardrail settings of the flowchart. */
import type { FlowchartSettings } from '@llmctl/contracts';
import { Field, Section } from '../../ui/common.tsx';
import { numberOrUndefined } from './config-inputs.tsx';
import { useEditor } from './editor-context.ts';
import { ProblemList } from './problems.tsx';

/** Flowchart-level form. */
export function FlowchartSettingsForm() {
  const { graph, dispatch, issues } = useEditor();
  const meta = graph.meta;
  const setSetting = (k: keyof FlowchartSettings, v: number | undefined): void => {
    const settings: FlowchartSettings = { ...(meta.settings ?? {}) };
    if (v === undefined) delete settings[k];
    else settings[k] = v;
    const next = { ...meta };
    if (Object.keys(settings).length) next.settings = settings;
    else delete next.settings;
    dispatch({ type: 'setMeta', meta: next, key: `meta.settings.${k}` });
  };
  return (
    <div className="flowchart-settings" data-testid="flowchart-settings">
      <div className="muted small">Select a node or connector to edit it.</div>
      <Field label="Name">
        <input type="text" value={meta.name} data-testid="flowchart-name-input" onChange={(e) => dispatch({ type: 'setMeta', meta: { ...meta, name: e.target.value }, key: 'meta.name' })} />
      </Field>
      <Field label="Description">
        <textarea rows={3} value={meta.description ?? ''} onChange={(e) => dispatch({ type: 'setMeta', meta: { ...meta, description: e.target.value }, key: 'meta.description' })} />
      </Field>
      <Section title="Guardrails">
        <div className="row">
          <Field label="Max node executions" hint="default 500">
            <input type="number" min={1} value={meta.settings?.max_node_executions ?? ''} onChange={(e) => setSetting('max_node_executions', numberOrUndefined(e.target.value))} data-testid="setting-max-node-executions" />
          </Field>
          <Field label="Max runtime min" hint="default 60">
            <input type="number" min={1} value={meta.settings?.max_runtime_minutes ?? ''} onChange={(e) => setSetting('max_runtime_minutes', numberOrUndefined(e.target.value))} />
          </Field>
          <Field label="Max parallel nodes" hint="default 8">
            <input type="number" min={1} value={meta.settings?.max_parallel_nodes ?? ''} onChange={(e) => setSetting('max_parallel_nodes', numberOrUndefined(e.target.value))} />
          </Field>
        </div>
      </Section>
      {issues.general.length > 0 && (
        <Section title="Document problems">
          <ProblemList problems={issues.general} />
        </Section>
      )}
      <div className="muted small">
        {graph.nodes.length} nodes · {graph.edges.length} connectors
      </div>
    </div>
  );
}
