/** Inputs for single node-config fields: text, numbers, selects, templates, schemas, model and flowchart pickers. */
import { useState } from 'react';
import { useAllModels, useFlowchartList } from '../../api/queries.ts';
import { PROVIDER_LABELS } from '../../api/types.ts';
import { parseJsonSchema, parseTemplateText, prettyJson, templateToText } from '../../core/json-text.ts';
import { JsonField } from '../../ui/json-field.tsx';
import type { FieldSpec } from './field-specs.ts';
import { TemplateTextarea } from './template-textarea.tsx';

/** Props of {@link ConfigInput}. */
export interface ConfigInputProps {
  spec: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  testid: string;
  /** Template variables to autocomplete in prompt and template fields (`completionPaths`). */
  paths?: string[];
}

/** Parses a number input ('' → undefined). */
export function numberOrUndefined(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Picks a registered model by name; scripted models are labelled as offline. */
export function ModelPicker({ value, onChange, testid }: { value: string; onChange: (v: string) => void; testid: string }) {
  const models = useAllModels();
  const items = models.data?.items ?? [];
  const known = items.some((m) => m.name === value);
  return (
    <div className="row">
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testid} className="grow">
        <option value="">— choose a model —</option>
        {value && !known && <option value={value}>{value} (not in registry)</option>}
        {items.map((m) => (
          <option key={m.id} value={m.name}>
            {m.name} — {m.provider === 'scripted' ? 'scripted (offline)' : `${PROVIDER_LABELS[m.provider] ?? m.provider} · ${m.model}`}
          </option>
        ))}
      </select>
      {models.isLoading && <span className="muted small">loading…</span>}
      {models.isError && <span className="field-error" title={String(models.error)}>models unavailable</span>}
    </div>
  );
}

function FlowchartPicker({ value, onChange, testid }: { value: string; onChange: (v: string) => void; testid: string }) {
  const list = useFlowchartList({ per_page: 100, sort: 'name', order: 'asc' });
  const items = list.data?.items ?? [];
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testid}>
      <option value="">— choose a flowchart —</option>
      {value && !items.some((f) => f.id === value) && <option value={value}>{value}</option>}
      {items.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name} ({f.id})
        </option>
      ))}
    </select>
  );
}

function TemplateInput({ value, onChange, testid, paths }: { value: unknown; onChange: (v: unknown) => void; testid: string; paths: string[] }) {
  const [text, setText] = useState(() => templateToText(value));
  const parsed = parseTemplateText(text);
  return (
    <div className="json-field">
      <TemplateTextarea
        className="mono"
        rows={3}
        value={text}
        paths={paths}
        mode="template"
        testid={testid}
        onChange={(v) => {
          setText(v);
          onChange(v === '' ? undefined : parseTemplateText(v));
        }}
      />
      <span className="field-hint">{text.trim() === '' ? 'unset' : typeof parsed === 'string' ? 'text template' : 'JSON template (each string leaf is a template)'}</span>
    </div>
  );
}

/** One config field as an input. */
export function ConfigInput({ spec, value, onChange, testid, paths = [] }: ConfigInputProps) {
  switch (spec.kind) {
    case 'text':
      return <input type="text" value={typeof value === 'string' ? value : value === undefined ? '' : String(value)} placeholder={spec.default !== undefined ? String(spec.default) : ''} onChange={(e) => onChange(e.target.value)} data-testid={testid} />;
    case 'textarea':
      return <TemplateTextarea className="mono" rows={spec.key === 'prompt' ? 5 : 3} value={typeof value === 'string' ? value : ''} onChange={onChange} paths={paths} mode="template" testid={testid} />;
    case 'number':
      return (
        <input
          type="number"
          value={typeof value === 'number' ? value : ''}
          step={spec.step ?? 1}
          {...(spec.min !== undefined ? { min: spec.min } : {})}
          {...(spec.max !== undefined ? { max: spec.max } : {})}
          placeholder={spec.default !== undefined ? String(spec.default) : ''}
          onChange={(e) => onChange(numberOrUndefined(e.target.value))}
          data-testid={testid}
        />
      );
    case 'select':
      return (
        <select value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testid}>
          <option value="">{spec.default !== undefined ? `(default: ${String(spec.default)})` : '—'}</option>
          {(spec.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'checkbox': {
      const checked = typeof value === 'boolean' ? value : spec.default === true;
      return <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked === spec.default ? undefined : e.target.checked)} data-testid={testid} />;
    }
    case 'template':
      return <TemplateInput value={value} onChange={onChange} testid={testid} paths={paths} />;
    case 'schema':
      return (
        <JsonField<Record<string, unknown> | undefined>
          value={value as Record<string, unknown> | undefined}
          parse={parseJsonSchema}
          onChange={onChange}
          format={(v) => (v === undefined ? '' : prettyJson(v))}
          rows={7}
          placeholder={'{ "type": "object", "required": ["category"], "properties": { "category": { "type": "string" } } }'}
          testid={testid}
        />
      );
    case 'model':
      return <ModelPicker value={typeof value === 'string' ? value : ''} onChange={(v) => onChange(v)} testid={testid} />;
    case 'flowchart':
      return <FlowchartPicker value={typeof value === 'string' ? value : ''} onChange={(v) => onChange(v)} testid={testid} />;
    case 'tools': {
      const list = Array.isArray(value) ? (value as unknown[]).map(String) : [];
      return <ToolsInput list={list} onChange={onChange} testid={testid} />;
    }
  }
}

function ToolsInput({ list, onChange, testid }: { list: string[]; onChange: (v: unknown) => void; testid: string }) {
  const [text, setText] = useState(list.join(', '));
  return (
    <input
      type="text"
      value={text}
      placeholder="workspace.read_file, git.status"
      data-testid={testid}
      onChange={(e) => {
        setText(e.target.value);
        const tools = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
        onChange(tools.length ? tools : undefined);
      }}
    />
  );
}
