import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { REDACTED, redactSecrets, redactText } from '../src/index.ts';

const secretArb = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'), minLength: 8, maxLength: 48 });

test('a known secret never survives redaction, wherever it sits in the text and however often', () => {
  fc.assert(fc.property(secretArb, fc.array(fc.string({ maxLength: 40 }), { maxLength: 6 }), (secret, parts) => {
    fc.pre(!REDACTED.includes(secret));
    const text = parts.join(secret) + secret + JSON.stringify({ message: `key ${secret}` });
    const out = redactText(text, [secret]);
    assert.ok(!out.includes(secret), out);
    assert.ok(out.includes(REDACTED));
  }), { numRuns: 500 });
});

test('a header-style secret is removed both whole and as its bare token; nested values are redacted, shapes kept', () => {
  fc.assert(fc.property(secretArb, fc.string({ maxLength: 20 }), (token, noise) => {
    fc.pre(!REDACTED.includes(token) && !'Bearer'.includes(token));
    const header = `Bearer ${token}`;
    const value = { a: [noise, `got ${token}!`], b: { c: `${header} ${noise}` }, n: 1, z: null };
    const out = redactSecrets(value, [header]);
    const text = JSON.stringify(out);
    assert.ok(!text.includes(token), text);
    assert.equal(out.n, 1);
    assert.equal(out.z, null);
    assert.equal(Array.isArray(out.a), true);
  }), { numRuns: 300 });
});
