/** `/models/new` and `/models/:id`: model form with validation, save, delete and "Test connection". */
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../api/http.ts';
import { useModel } from '../../api/queries.ts';
import { PROVIDERS, PROVIDER_LABELS, type Model, type ModelTestResult } from '../../api/types.ts';
import { prettyJson } from '../../core/json-text.ts';
import { modelRequestBody, validateModelForm, type ModelFormValues as FormValues } from '../../core/model-form.ts';
import { formatTime } from '../../core/format.ts';
import { ErrorBox, Field, JsonView, Loading } from '../../ui/common.tsx';
import { PageHeader } from '../../ui/shell.tsx';

const SCRIPTED_EXAMPLE = {
  responses: [
    { match: 'Classify', output: { category: 'bug' } },
    { output: 'Hello from the scripted model: {{input.text}}' },
  ],
};

/** Route component for both new and existing models. */
export function ModelFormPage() {
  const { id } = useParams();
  const model = useModel(id);
  if (id && model.isLoading) return <Loading label="Loading model…" />;
  if (id && model.isError)
    return (
      <div className="page-pad">
        <ErrorBox error={model.error} onRetry={() => void model.refetch()} />
        <Link to="/models">← Models</Link>
      </div>
    );
  return <ModelForm key={id ?? 'new'} model={id ? model.data : undefined} />;
}

function ModelForm({ model }: { model: Model | undefined }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [sp] = useSearchParams();
  const [v, setV] = useState<FormValues>(() => ({
    name: model?.name ?? '',
    provider: model?.provider ?? sp.get('provider') ?? 'openai',
    model: model?.model ?? '',
    base_url: model?.base_url ?? '',
    settingsText: model ? prettyJson(model.settings ?? {}) : '{}',
  }));
  const [touched, setTouched] = useState(false);
  const errs = validateModelForm(v);
  const valid = Object.keys(errs).length === 0;
  const set = (patch: Partial<FormValues>): void => setV((x) => ({ ...x, ...patch }));
  const show = (k: keyof FormValues): string | null => (touched ? errs[k] ?? null : null);

  const save = useMutation({
    mutationFn: async () => {
      const body = modelRequestBody(v, !!model);
      if (model) return (await api<Model>('PUT', `/api/models/${encodeURIComponent(model.id)}`, body, { idempotencyKey: newIdempotencyKey() })).data;
      return (await api<Model>('POST', '/api/models', body, { idempotencyKey: newIdempotencyKey() })).data;
    },
    onSuccess: (m) => {
      void qc.invalidateQueries({ queryKey: ['models'] });
      qc.setQueryData(['model', m.id], m);
      if (!model) void navigate(`/models/${encodeURIComponent(m.id)}`, { replace: true });
    },
  });
  const del = useMutation({
    mutationFn: async () => api<unknown>('DELETE', `/api/models/${encodeURIComponent(model!.id)}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['models'] });
      void navigate('/models');
    },
  });
  const test = useMutation({
    mutationFn: async () => (await api<ModelTestResult>('POST', `/api/models/${encodeURIComponent(model!.id)}/test`, {})).data,
  });
  const testFailed = test.data && (test.data.ok === false || !!test.data.error);
  const testErr = test.data?.error;

  return (
    <div className="page">
      <PageHeader title={model ? `Model ${model.name}` : 'New model'}>
        <Link className="btn small" to="/models">
          ← Models
        </Link>
      </PageHeader>
      <form
        className="form page-body"
        data-testid="model-form"
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (valid) save.mutate();
        }}
      >
        <Field label="Name" error={show('name')} hint="unique; task nodes refer to models by name">
          <input type="text" value={v.name} onChange={(e) => set({ name: e.target.value })} data-testid="model-name" />
        </Field>
        <Field label="Provider" error={show('provider')}>
          <select value={v.provider} onChange={(e) => set({ provider: e.target.value })} data-testid="model-provider">
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {PROVIDER_LABELS[p] ?? p}
              </option>
            ))}
          </select>
        </Field>
        {v.provider === 'scripted' && (
          <div className="note" data-testid="scripted-note">
            scripted (offline): answers from <code>settings.responses</code> without calling any provider — for demos and tests.{' '}
            <button type="button" className="link" onClick={() => set({ settingsText: prettyJson(SCRIPTED_EXAMPLE) })} data-testid="scripted-insert-example">
              insert example
            </button>
          </div>
        )}
        <Field label="Model" error={show('model')} hint={v.provider === 'scripted' ? 'optional label' : 'the provider’s model id, e.g. gpt-4o-mini'}>
          <input type="text" value={v.model} onChange={(e) => set({ model: e.target.value })} data-testid="model-model" />
        </Field>
        <Field label="Base URL" error={show('base_url')} hint="optional except for vLLM / OpenAI-compatible servers">
          <input type="text" value={v.base_url} placeholder="http://127.0.0.1:8000/v1" onChange={(e) => set({ base_url: e.target.value })} data-testid="model-base-url" />
        </Field>
        <Field label="Settings (JSON object)" error={errs.settingsText ?? null}>
          <textarea className={`mono${errs.settingsText ? ' invalid' : ''}`} rows={10} spellCheck={false} value={v.settingsText} onChange={(e) => set({ settingsText: e.target.value })} data-testid="model-settings" />
        </Field>
        {save.isError && <ErrorBox error={save.error} />}
        {save.isSuccess && model && <div className="ok-text" data-testid="model-saved">Saved.</div>}
        <div className="form-actions">
          <button className="btn primary" type="submit" disabled={save.isPending || (touched && !valid)} data-testid="model-save">
            {save.isPending ? 'Saving…' : model ? 'Save' : 'Create'}
          </button>
          <button type="button" className="btn" disabled={!model || test.isPending} title={model ? 'A tiny live call' : 'Save the model first'} onClick={() => test.mutate()} data-testid="model-test">
            {test.isPending ? 'Testing…' : 'Test connection'}
          </button>
          {model && (
            <button
              type="button"
              className="btn danger"
              disabled={del.isPending}
              onClick={() => {
                if (window.confirm(`Delete model “${model.name}”?`)) del.mutate();
              }}
              data-testid="model-delete"
            >
              Delete
            </button>
          )}
        </div>
        {test.isError && <ErrorBox error={test.error} />}
        {test.data && (
          <div className={`test-result ${testFailed ? 'fail' : 'ok'}`} data-testid="model-test-result" data-ok={String(!testFailed)}>
            {testFailed ? (
              <>✕ {typeof testErr === 'string' ? testErr : `${testErr?.code ?? 'error'}: ${testErr?.message ?? ''}`}</>
            ) : (
              <>✓ connected{typeof test.data.latency_ms === 'number' ? ` in ${test.data.latency_ms} ms` : ''}</>
            )}
            <JsonView value={test.data} />
          </div>
        )}
        {del.isError && <ErrorBox error={del.error} />}
        {model && (
          <div className="muted small">
            id <code>{model.id}</code> · created {formatTime(model.created_at)} · updated {formatTime(model.updated_at)}
          </div>
        )}
      </form>
    </div>
  );
}
