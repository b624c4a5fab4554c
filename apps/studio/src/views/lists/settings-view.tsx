/** `/settings`: runtime settings (executor backend and the blocks it uses, timeouts, guardrails, retention) and the browser's API token. */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, getAuthToken, setAuthToken } from '../../api/http.ts';
import { useRuntimeSettings } from '../../api/queries.ts';
import { parseJsonObject, prettyJson } from '../../core/json-text.ts';
import { ErrorBox, Field, JsonView, Loading, Section } from '../../ui/common.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { RuntimeSettingsForm } from '../settings/runtime-settings-form.tsx';
import { fieldErrorsOf, type Json } from '../settings/settings-paths.ts';


/** Server-maintained keys: shown, never sent back. */
const READ_ONLY = new Set(['updated_at', 'created_at']);

/** The settings without read-only keys (the body of PUT). */
function editable(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !READ_ONLY.has(k)));
}

/** The settings page. */
export function SettingsPage() {
  const qc = useQueryClient();
  const settings = useRuntimeSettings();
  const [draft, setDraft] = useState<Json | null>(null);
  const [raw, setRaw] = useState(false);
  const [rawText, setRawText] = useState('');
  useEffect(() => {
    if (settings.data && draft === null) setDraft(settings.data);
  }, [settings.data, draft]);
  const save = useMutation({
    mutationFn: async (body: Json) => (await api<Json>('PUT', '/api/settings/runtime', body)).data,
    onSuccess: (d) => {
      qc.setQueryData(['settings', 'runtime'], d);
      setDraft(d);
    },
  });
  const health = useQuery({ queryKey: ['health'], queryFn: async () => (await api<Json>('GET', '/api/health')).data, retry: false });
  const [token, setToken] = useState(getAuthToken() ?? '');
  const rawParsed = parseJsonObject(rawText, false);
  const dirty = draft !== null && settings.data !== undefined && JSON.stringify(draft) !== JSON.stringify(settings.data);
  return (
    <div className="page">
      <PageHeader title="Settings" />
      <div className="page-body settings">
        <Section
          title="Runtime"
          actions={
            <button
              className="link small"
              onClick={() => {
                setRaw(!raw);
                setRawText(prettyJson(editable(draft ?? {})));
              }}
            >
              {raw ? 'form' : 'edit as JSON'}
            </button>
          }
        >
          {settings.isLoading ? (
            <Loading />
          ) : settings.isError ? (
            <ErrorBox error={settings.error} onRetry={() => void settings.refetch()} />
          ) : draft ? (
            <form
              className="form"
              data-testid="runtime-settings-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (raw) {
                  if (rawParsed.ok && rawParsed.value) save.mutate(editable(rawParsed.value));
                } else save.mutate(editable(draft));
              }}
            >
              {!raw && Object.keys(draft).length === 0 && <div className="muted">The server returned no runtime settings; use “edit as JSON” to set some.</div>}
              {raw ? (
                <Field label="Runtime settings (JSON)" error={rawParsed.ok ? null : rawParsed.error}>
                  <textarea className="mono" rows={18} value={rawText} onChange={(e) => setRawText(e.target.value)} data-testid="runtime-settings-json" />
                </Field>
              ) : (
                <RuntimeSettingsForm draft={draft} errors={fieldErrorsOf(save.error)} onChange={setDraft} />
              )}
              {typeof draft.updated_at === 'string' && <div className="muted small">last saved {new Date(draft.updated_at).toLocaleString()}</div>}
              {draft.updated_at === null && <div className="muted small">defaults (never saved)</div>}
              {save.isError && <ErrorBox error={save.error} />}
              {save.isSuccess && !dirty && <div className="ok-text" data-testid="settings-saved">Saved.</div>}
              <div className="form-actions">
                <button className="btn primary" disabled={save.isPending || (raw ? !rawParsed.ok : !dirty)} data-testid="settings-save">
                  {save.isPending ? 'Saving…' : 'Save'}
                </button>
                {dirty && !raw && (
                  <button type="button" className="btn" onClick={() => setDraft(settings.data ?? null)}>
                    Revert
                  </button>
                )}
              </div>
            </form>
          ) : null}
        </Section>
        <Section title="Server health">{health.isLoading ? <Loading /> : health.isError ? <ErrorBox error={health.error} compact /> : <JsonView value={health.data} testid="health" />}</Section>
        <Section title="This browser">
          <Field label="API token" hint="only needed when the server requires bearer tokens; stored in this browser">
            <input type="password" value={token} onChange={(e) => setToken(e.target.value)} data-testid="api-token" />
          </Field>
          <button
            className="btn small"
            onClick={() => {
              setAuthToken(token);
              window.location.reload();
            }}
          >
            Save token &amp; reload
          </button>
        </Section>
      </div>
    </div>
  );
}
