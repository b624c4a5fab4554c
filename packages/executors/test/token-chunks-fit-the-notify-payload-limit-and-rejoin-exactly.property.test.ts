import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chunkForNotify, tokenChannelOf, TokenRouter, type TokenMessage } from '../src/token-stream.ts';

test('token chunks: each NOTIFY payload stays under the limit, no code point is split, and the chunks rejoin to the text', () => {
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', ' ', '\n', '"', '\\', '\u0001'), fc.constantFrom('é', '✓', '😀', '𝔸')), maxLength: 4000 });
  fc.assert(fc.property(text, fc.integer({ min: 200, max: 8000 }), (t, limit) => {
    const id = 'run_01abc:17';
    const chunks = chunkForNotify(id, t, limit);
    assert.equal(chunks.join(''), t);
    chunks.forEach((c, s) => {
      assert.ok(c.length > 0);
      assert.ok(Buffer.byteLength(JSON.stringify({ d: id, s, t: c } satisfies TokenMessage)) <= limit);
      // a lone surrogate would mean a code point was cut in two
      assert.ok(!/[\uD800-\uDBFF]$/.test(c) && !/^[\uDC00-\uDFFF]/.test(c));
    });
  }));
});

test('token channels: a valid identifier per run, the same for the same run', () => {
  const a = tokenChannelOf('run_a');
  assert.match(a, /^llmctl_tok_[0-9a-f]{40}$/);
  assert.ok(Buffer.byteLength(a) <= 63);
  assert.equal(tokenChannelOf('run_a'), a);
  assert.notEqual(tokenChannelOf('run_b'), a);
});

test('token router: a channel is listened on once per run while attempts stream, chunks reach their attempt once and in order', async () => {
  const ops: string[] = [];
  const router = new TokenRouter(async (ch) => void ops.push(`listen ${ch}`), async (ch) => void ops.push(`unlisten ${ch}`));
  const got: Record<string, string[]> = { d1: [], d2: [] };
  const off1 = await router.subscribe('run_a', 'd1', (t) => got.d1!.push(t));
  const off2 = await router.subscribe('run_a', 'd2', (t) => got.d2!.push(t));
  const msg = (d: string, s: number, t: string) => JSON.stringify({ d, s, t });
  for (const p of [msg('d1', 0, 'a'), msg('d2', 0, 'x'), msg('d1', 1, 'b'), msg('d1', 1, 'b'), msg('d1', 0, 'a'), 'not json', msg('d9', 0, '?'), msg('d1', 2, 'c')]) router.deliver(p);
  assert.deepEqual(got, { d1: ['a', 'b', 'c'], d2: ['x'] });
  off1();
  off2();
  router.deliver(msg('d1', 3, 'late'));
  assert.deepEqual(got.d1, ['a', 'b', 'c']);
  await router.subscribe('run_b', 'd3', () => undefined);
  assert.deepEqual(ops, [`listen ${tokenChannelOf('run_a')}`, `unlisten ${tokenChannelOf('run_a')}`, `listen ${tokenChannelOf('run_b')}`]);
});
