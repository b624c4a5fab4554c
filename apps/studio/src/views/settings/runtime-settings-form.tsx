/**
 * The runtime settings form: executor backend (explained), then the blocks it uses — queue limits, images per class
 * (repository/tag/digest), the kubernetes block — and timeouts, guardrails, retention. Blocks the chosen backend does
 * not use are hidden (a flowchart or node may still choose another backend: "show all" reveals them). The server
 * validates; its 400 errors are shown on their fields.
 */
import { useState } from 'react';
import { Field, Section } from '../../ui/common.tsx';
import { BACKEND_HELP, BLOCK_USED_BY, errorsAt, getPath, setPath, type FieldError, type Json } from './settings-paths.ts';

interface Ctx {
  draft: Json;
  errors: FieldError[];
  onChange: (next: Json) => void;
}

const label = (path: string) => path.split('.').pop()!.replace(/_/g, ' ');

/** One leaf: number, boolean, string (nullable where `nullable`), a string list, or JSON for anything else. */
function Leaf({ ctx, path, nullable, hint }: { ctx: Ctx; path: string; nullable?: boolean; hint?: string }) {
  const v = getPath(ctx.draft, path);
  const err = errorsAt(ctx.errors, path);
  const id = `setting-${path}`;
  const set = (nv: unknown) => ctx.onChange(setPath(ctx.draft, path, nv));
  if (typeof v === 'boolean') return <label className="check"><input type="checkbox" checked={v} onChange={(e) => set(e.target.checked)} data-testid={id} /> {label(path)}</label>;
  if (typeof v === 'number') {
    return (
      <Field label={label(path)} error={err} hint={hint}>
        <input type="number" value={Number.isFinite(v) ? v : ''} onChange={(e) => set(e.target.value === '' ? NaN : Number(e.target.value))} data-testid={id} />
      </Field>
    );
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    return (
      <Field label={label(path)} error={err} hint={hint ?? 'comma-separated'}>
        <input type="text" value={v.join(', ')} onChange={(e) => set(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} data-testid={id} />
      </Field>
    );
  }
  if (typeof v === 'string' || v === null || v === undefined) {
    return (
      <Field label={label(path)} error={err} hint={hint ?? (nullable ? 'empty = none' : undefined)}>
        <input type="text" value={typeof v === 'string' ? v : ''} onChange={(e) => set(nullable && e.target.value === '' ? null : e.target.value)} data-testid={id} />
      </Field>
    );
  }
  return <JsonLeaf ctx={ctx} path={path} hint={hint} />;
}

/** A JSON-edited leaf (resources, per-flowchart retention rules); kept as text until it parses. */
function JsonLeaf({ ctx, path, hint }: { ctx: Ctx; path: string; hint?: string }) {
  const v = getPath(ctx.draft, path);
  const [text, setText] = useState(() => JSON.stringify(v, null, 1));
  const [bad, setBad] = useState<string | null>(null);
  return (
    <Field label={label(path)} error={bad ?? errorsAt(ctx.errors, path)} hint={hint}>
      <textarea className="mono" rows={3} value={text} data-testid={`setting-${path}`}
        onChange={(e) => {
          setText(e.target.value);
          try {
            ctx.onChange(setPath(ctx.draft, path, JSON.parse(e.target.value)));
            setBad(null);
          } catch (x) {
            setBad(`invalid JSON: ${(x as Error).message}`);
          }
        }} />
    </Field>
  );
}

/** An image `{ repository, tag, digest }`; `vllm_cpu` may be null (then the vllm image with tag `-cpu`). */
function ImageFields({ ctx, path, optional }: { ctx: Ctx; path: string; optional?: boolean }) {
  const v = getPath(ctx.draft, path);
  const on = v !== null && v !== undefined;
  return (
    <div className="image-fields" data-testid={`image-${path}`}>
      <div className="small"><strong>{label(path)}</strong>
        {optional && (
          <label className="check small"> <input type="checkbox" checked={on} data-testid={`setting-${path}-on`}
            onChange={(e) => ctx.onChange(setPath(ctx.draft, path, e.target.checked ? { repository: '', tag: '', digest: null } : null))} /> own image (else the vllm image with tag “-cpu”)</label>
        )}
      </div>
      {on && (
        <div style={{ display: 'flex', gap: 8 }}>
          <Leaf ctx={ctx} path={`${path}.repository`} />
          <Leaf ctx={ctx} path={`${path}.tag`} />
          <Leaf ctx={ctx} path={`${path}.digest`} nullable hint="sha256:<64 hex> pins the image (wins over the tag); empty = none" />
        </div>
      )}
      {!on && errorsAt(ctx.errors, path) && <div className="err-text small">{errorsAt(ctx.errors, path)}</div>}
    </div>
  );
}

function Block({ ctx, name }: { ctx: Ctx; name: string }) {
  const v = getPath(ctx.draft, name);
  if (!v || typeof v !== 'object') return null;
  const keys = Object.keys(v as Json);
  return (
    <Section title={name}>
      <div data-testid={`settings-block-${name}`}>
        {name === 'images'
          ? keys.map((k) => <ImageFields key={k} ctx={ctx} path={`images.${k}`} optional={k === 'vllm_cpu'} />)
          : keys.map((k) => {
            const p = `${name}.${k}`;
            const val = getPath(ctx.draft, p);
            if (k === 'resources' && val && typeof val === 'object') {
              return Object.keys(val as Json).map((c) => <JsonLeaf key={c} ctx={ctx} path={`${p}.${c}`} hint="{ requests: { cpu, memory }, limits: { … } }" />);
            }
            return <Leaf key={k} ctx={ctx} path={p} nullable={k === 'service_account'} />;
          })}
      </div>
    </Section>
  );
}

/** The structured form (the page owns the draft and the save). */
export function RuntimeSettingsForm({ draft, errors, onChange }: { draft: Json; errors: FieldError[]; onChange: (next: Json) => void }) {
  const [showAll, setShowAll] = useState(false);
  const ctx: Ctx = { draft, errors, onChange };
  const backend = typeof draft.executor === 'string' ? draft.executor : 'inline';
  const blocks = Object.keys(BLOCK_USED_BY).filter((b) => b in draft);
  const hidden = blocks.filter((b) => BLOCK_USED_BY[b] !== 'all' && !(BLOCK_USED_BY[b] as string[]).includes(backend));
  const handled = new Set(['executor', 'updated_at', 'agent_runtime_cutover_enabled', ...blocks]);
  const rest = Object.keys(draft).filter((k) => !handled.has(k));
  return (
    <div data-testid="runtime-settings-fields" data-backend={backend}>
      <Field label="executor backend" error={errorsAt(errors, 'executor')}>
        <select value={backend} onChange={(e) => onChange({ ...draft, executor: e.target.value })} data-testid="setting-executor">
          {Object.keys(BACKEND_HELP).map((b) => <option key={b} value={b}>{b}</option>)}
        </select>
      </Field>
      <div className="muted small" data-testid="backend-help">{BACKEND_HELP[backend] ?? ''}</div>
      {blocks.filter((b) => showAll || !hidden.includes(b)).map((b) => <Block key={b} ctx={ctx} name={b} />)}
      {rest.map((k) => <Leaf key={k} ctx={ctx} path={k} />)}
      {hidden.length > 0 && (
        <label className="check small">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} data-testid="settings-show-all" />
          show the blocks the {backend} backend does not use ({hidden.join(', ')}) — a flowchart or node may choose another backend
        </label>
      )}
    </div>
  );
}
