/** `/providers`: provider credentials, showing only masked keys; a new key can be set but never read back. */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/http.ts';
import { useProviders } from '../../api/queries.ts';
import { PROVIDERS, PROVIDER_LABELS, type ProviderCredentials } from '../../api/types.ts';
import { parseJsonObject, prettyJson } from '../../core/json-text.ts';
import { formatTime } from '../../core/format.ts';
import { ErrorBox, Field, Loading } from '../../ui/common.tsx';
import { PageHeader } from '../../ui/shell.tsx';

/** The masked key a credentials record carries, if any. */
export function maskedKey(c: ProviderCredentials | undefined): string | null {
  return c?.api_key_masked ?? null;
}

function ProviderCard({ provider, creds }: { provider: string; creds: ProviderCredentials | undefined }) {
  const qc = useQueryClient();
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(creds?.base_url ?? '');
  const [settingsText, setSettingsText] = useState(creds?.settings ? prettyJson(creds.settings) : '');
  const settings = parseJsonObject(settingsText);
  const save = useMutation({
    mutationFn: async () => {
      const body: Record<string, unknown> = {};
      if (key) body.api_key = key;
      body.base_url = baseUrl.trim() || null;
      if (settings.ok && settings.value) body.settings = settings.value;
      return (await api<ProviderCredentials>('PUT', `/api/providers/${encodeURIComponent(provider)}`, body)).data;
    },
    onSuccess: () => {
      setKey('');
      void qc.invalidateQueries({ queryKey: ['providers'] });
    },
  });
  const masked = maskedKey(creds);
  return (
    <div className="card" data-testid={`provider-card-${provider}`}>
      <div className="card-head">
        <b>{PROVIDER_LABELS[provider] ?? provider}</b>
        {creds?.has_api_key ? (
          <span className="badge st-succeeded" data-testid={`provider-key-${provider}`}>
            key {masked ?? 'set'}
          </span>
        ) : (
          <span className="badge" data-testid={`provider-key-${provider}`}>
            no key
          </span>
        )}
        {creds?.updated_at && <span className="muted small">updated {formatTime(creds.updated_at)}</span>}
      </div>
      <form
        className="form compact"
        onSubmit={(e) => {
          e.preventDefault();
          if (settings.ok) save.mutate();
        }}
      >
        <Field label="API key" hint={creds?.has_api_key ? 'leave empty to keep the stored key' : 'stored encrypted; never shown again'}>
          <input type="password" autoComplete="off" value={key} placeholder={masked ?? ''} onChange={(e) => setKey(e.target.value)} data-testid={`provider-api-key-${provider}`} />
        </Field>
        <Field label="Base URL">
          <input type="text" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
        </Field>
        <Field label="Settings (JSON)" error={settings.ok ? null : settings.error}>
          <textarea className="mono" rows={2} value={settingsText} onChange={(e) => setSettingsText(e.target.value)} placeholder={provider === 'vertex' ? '{ "project": "…", "location": "us-central1" }' : ''} />
        </Field>
        {save.isError && <ErrorBox error={save.error} compact />}
        <button className="btn small primary" disabled={save.isPending || !settings.ok} data-testid={`provider-save-${provider}`}>
          {save.isPending ? 'Saving…' : save.isSuccess ? 'Saved ✓' : 'Save'}
        </button>
      </form>
    </div>
  );
}

/** The provider credentials page. */
export function ProvidersPage() {
  const list = useProviders();
  return (
    <div className="page">
      <PageHeader title="Provider credentials" />
      <div className="page-body">
        <p className="muted small">Keys are encrypted at rest and never returned by the API: only a masked form is shown. The scripted provider needs none.</p>
        {list.isLoading ? (
          <Loading />
        ) : list.isError ? (
          <ErrorBox error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div className="cards">
            {PROVIDERS.filter((p) => p !== 'scripted').map((p) => (
              <ProviderCard key={`${p}:${list.dataUpdatedAt}`} provider={p} creds={list.data?.find((c) => c.provider === p)} />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
