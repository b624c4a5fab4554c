import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { joinSecrets, splitSecrets } from '@llmctl/store';

const keyArb = fc.oneof(fc.constantFrom('headers', 'api_key', 'token', 'Authorization', 'password', 'temperature', 'json_mode', 'nested', 'x', '__proto__', 'constructor'), fc.string({ minLength: 1, maxLength: 8 }));
const settingsArb = fc.dictionary(keyArb, fc.oneof(
  fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null),
  fc.dictionary(keyArb, fc.oneof(fc.string({ maxLength: 30 }), fc.integer()), { maxKeys: 4 }),
), { maxKeys: 6 });

test('splitting settings into masked settings and secrets, then joining them, gives the settings back; no secret stays in the masked part', () => {
  fc.assert(fc.property(settingsArb, (generated) => {
    // Settings arrive as parsed JSON: plain objects.
    const settings = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
    const { settings: masked, entries } = splitSecrets(settings);
    assert.deepEqual(joinSecrets(masked, entries), settings);
    const text = JSON.stringify(masked);
    for (const e of entries) if (e.value.length >= 12) assert.ok(!text.includes(e.value), `${e.value} left in ${text}`);
    // Writing the masked settings back keeps every secret.
    const again = splitSecrets(masked, entries);
    assert.deepEqual(joinSecrets(again.settings, again.entries), settings);
  }), { numRuns: 400 });
});
