import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isId, newId } from '@llmctl/store';

test('newId returns the prefix, an underscore and 26 lower-case base32 characters', () => {
  for (const prefix of ['fc', 'run', 'nr', 'mdl']) {
    const id = newId(prefix);
    assert.match(id, new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`));
    assert.ok(isId(prefix, id));
  }
});

test('newId values are unique and sort by creation time', async () => {
  const a = newId('fc');
  await new Promise((r) => setTimeout(r, 3));
  const b = newId('fc');
  assert.notEqual(a, b);
  assert.ok(a < b);
  assert.equal(new Set(Array.from({ length: 1000 }, () => newId('run'))).size, 1000);
});

test('isId rejects malformed ids and other prefixes', () => {
  for (const bad of ['', 'fc_', 'fc_ABC', 'fc_../../etc', 'mdl_01jd3k9x7qaaaaaaaaaaaaaaaa', 'fc_01jd3k9x7q\u0000', 42, null, `fc_${'a'.repeat(60)}`]) {
    assert.equal(isId('fc', bad), false, String(bad));
  }
  assert.throws(() => newId('Bad-Prefix'));
});
