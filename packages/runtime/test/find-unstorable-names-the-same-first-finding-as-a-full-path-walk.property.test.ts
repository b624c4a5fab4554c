import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findUnstorable, type Unstorable } from '../src/index.ts';

// The walk findUnstorable did before its path-free first pass: the reference for which finding comes first.
function reference(value: unknown, path = ''): Unstorable | null {
  const bad = (s: string): Unstorable['reason'] | null => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0) return 'nul_character';
      if (c >= 0xd800 && c <= 0xdbff) {
        const n = s.charCodeAt(i + 1);
        if (n >= 0xdc00 && n <= 0xdfff) i += 1;
        else return 'lone_surrogate';
      } else if (c >= 0xdc00 && c <= 0xdfff) return 'lone_surrogate';
    }
    return null;
  };
  const walk = (v: unknown, p: string): Unstorable | null => {
    if (typeof v === 'string') {
      const reason = bad(v);
      return reason ? { path: p || '/', reason } : null;
    }
    if (v === null || typeof v !== 'object') return null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i], `${p}/${i}`);
        if (r) return r;
      }
      return null;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const kr = bad(k);
      if (kr) return { path: `${p}/${JSON.stringify(k).slice(1, -1)}`, reason: kr };
      const r = walk(x, `${p}/${k}`);
      if (r) return r;
    }
    return null;
  };
  return walk(value, path);
}

const text = fc.string({ unit: fc.constantFrom('a', 'b', '/', '\u0000', '\ud83d', '\ude00', '\ud83d\ude00', '"'), maxLength: 6 });
const valueArb = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(text, tie('v'), { maxKeys: 4 })),
})).v;

test('findUnstorable names the same first finding (path and reason) as the full path walk, or none', () => {
  fc.assert(fc.property(valueArb, fc.constantFrom('', '/output'), (value, path) => {
    assert.deepEqual(findUnstorable(value, path), reference(value, path));
  }), { numRuns: 3000 });
  assert.deepEqual(findUnstorable({ a: ['ok', { 'k\u0000': 1 }] }, '/output'), { path: '/output/a/1/k\\u0000', reason: 'nul_character' });
});
