import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { REDACTED, redactSecrets, redactText, secretRedactor } from '../src/index.ts';

// The redactor as it was before its fast paths (secrets prepared per string, every pattern run on every string,
// objects copied with defineProperty): the reference the fast one must agree with on any input.
const PATTERNS: readonly RegExp[] = [
  /sk-[A-Za-z0-9_-]{16,}/g,
  /AIza[0-9A-Za-z_-]{30,}/g,
  /\b(Bearer|Basic|Token)\s+[^\s"',;]+/gi,
  /\b((?:api[_-]?key|access[_-]?token|token|key|secret|password)["']?\s*[=:]\s*["']?)[^\s"'&,;]{8,}/gi,
];
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function referenceText(text: string, knownSecrets: readonly string[]): string {
  let out = text;
  const known = [...new Set(knownSecrets.filter((s) => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
  for (const s of known) {
    out = out.split(s).join(REDACTED);
    const bare = /^\S+\s+(\S{6,})$/.exec(s)?.[1];
    if (bare) out = out.split(bare).join(REDACTED);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) out = out.replace(new RegExp(escapeRe(escaped), 'g'), REDACTED);
  }
  for (const re of PATTERNS) {
    out = out.replace(re, (m: string, prefix?: string) => (typeof prefix === 'string' && /[=:]\s*["']?$/.test(prefix) ? `${prefix}${REDACTED}` : /^(Bearer|Basic|Token)$/i.test(prefix ?? '') ? `${prefix} ${REDACTED}` : REDACTED));
  }
  return out;
}
function referenceValue(value: unknown, known: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return referenceText(value, known);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => referenceValue(v, known, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    Object.defineProperty(out, k, { value: referenceValue(v, known, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// Text built from pieces that trigger every path: secrets, their bare and escaped forms, pattern prefixes, near misses.
const secretArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcXYZ019-_."\\ '), minLength: 3, maxLength: 24 }),
  fc.string({ unit: fc.constantFrom(...'abcXYZ019-_'), minLength: 6, maxLength: 24 }).map((t) => `Bearer ${t}`),
);
const pieceArb = (secrets: string[]) => fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('sk-', 'sk-abcdefghijklmnopqrstu', 'AIza', `AIza${'x'.repeat(32)}`, 'Bearer ', 'basic ', 'TOKEN=', 'api_key: ', 'password="', 'secret:', 'key', 'Keys', ' ', '"', '\\'),
  ...(secrets.length > 0 ? [fc.constantFrom(...secrets), fc.constantFrom(...secrets.map((s) => JSON.stringify(s).slice(1, -1))), fc.constantFrom(...secrets.map((s) => s.split(' ').pop()!))] : []),
);
const caseArb = fc.array(secretArb, { maxLength: 3 }).chain((secrets) => fc.tuple(fc.constant(secrets), fc.array(pieceArb(secrets), { maxLength: 12 }).map((p) => p.join(''))));

test('the redactor gives exactly the text the plain redactor gives, for any text and known secrets', () => {
  fc.assert(fc.property(caseArb, ([secrets, text]) => {
    assert.equal(redactText(text, secrets), referenceText(text, secrets));
  }), { numRuns: 3000 });
});

test('redacting a value (directly or with a prepared redactor) gives the same copy as the plain redactor, __proto__ keys included', () => {
  fc.assert(fc.property(caseArb, fc.jsonValue({ maxDepth: 3 }), ([secrets, text], json) => {
    const value = JSON.parse(`{"__proto__": ${JSON.stringify(text)}, "a": ${JSON.stringify(json)}, "b": [${JSON.stringify(text)}, 1, null]}`) as unknown;
    const expected = referenceValue(value, secrets);
    const direct = redactSecrets(value, secrets);
    const prepared = secretRedactor(secrets)(value);
    assert.deepEqual(direct, expected);
    assert.deepEqual(prepared, expected);
    assert.equal(Object.getPrototypeOf(direct), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(direct as object, '__proto__'), Object.getOwnPropertyDescriptor(expected as object, '__proto__'));
    assert.notEqual(direct, value);
  }), { numRuns: 1000 });
});
