import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProvider, PROVIDER_KINDS, type ProviderKind } from '../src/index.ts';

test('createProvider returns an adapter of the requested kind for every provider', () => {
  const extra: Partial<Record<ProviderKind, object>> = { vertex: { project: 'p', location: 'l', settings: { access_token: 't' } } };
  for (const kind of PROVIDER_KINDS) {
    const p = createProvider({ provider: kind, api_key: 'k', base_url: 'http://127.0.0.1:9', ...extra[kind] });
    assert.equal(p.kind, kind);
    assert.equal(typeof p.chat, 'function');
  }
});

test('createProvider rejects an unknown provider with provider_config_invalid', () => {
  assert.throws(
    () => createProvider({ provider: 'nope' as ProviderKind }),
    (err: unknown) => (err as { code?: string }).code === 'provider_config_invalid',
  );
});
