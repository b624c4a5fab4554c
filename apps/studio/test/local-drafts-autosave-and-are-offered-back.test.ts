import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearLocalDraft, draftToOffer, localDraftKey, readLocalDraft, writeLocalDraft, type DraftStorage } from '../src/core/local-draft.ts';

function memoryStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

test('a local draft is kept per flowchart id and offered only when it differs from the saved document', () => {
  const s = memoryStorage();
  writeLocalDraft(s, 'fc_a', '{"name":"edited"}', 3, new Date('2026-01-01T00:00:00Z'));
  assert.ok(s.map.has(localDraftKey('fc_a')));
  assert.deepEqual(readLocalDraft(s, 'fc_a'), { json: '{"name":"edited"}', base_version: 3, saved_at: '2026-01-01T00:00:00.000Z' });
  assert.equal(readLocalDraft(s, 'fc_b'), null, 'keyed by flowchart id');
  assert.equal(draftToOffer(s, 'fc_a', '{"name":"edited"}'), null, 'identical to the saved document: nothing to offer');
  assert.equal(draftToOffer(s, 'fc_a', '{"name":"saved"}')?.json, '{"name":"edited"}');
  clearLocalDraft(s, 'fc_a');
  assert.equal(readLocalDraft(s, 'fc_a'), null);
});

test('malformed stored drafts and failing storage are ignored', () => {
  const s = memoryStorage();
  s.map.set(localDraftKey('fc_x'), '{not json');
  assert.equal(readLocalDraft(s, 'fc_x'), null);
  s.map.set(localDraftKey('fc_x'), JSON.stringify({ json: '{broken', saved_at: 'now' }));
  assert.equal(readLocalDraft(s, 'fc_x'), null);
  const full: DraftStorage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => undefined };
  assert.doesNotThrow(() => writeLocalDraft(full, 'fc_y', '{}', 1));
});
