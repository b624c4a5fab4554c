import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStructuredOutput } from '../src/index.ts';

test('parseStructuredOutput parses plain JSON after trimming', () => {
  assert.deepEqual(parseStructuredOutput('  \n{"a":[1,2]}\n '), { a: [1, 2] });
  assert.equal(parseStructuredOutput('42'), 42);
});

test('parseStructuredOutput strips one surrounding ```json fence', () => {
  assert.deepEqual(parseStructuredOutput('```json\n{"category":"bug"}\n```'), { category: 'bug' });
  assert.deepEqual(parseStructuredOutput('```\n[true]\n```'), [true]);
  assert.deepEqual(parseStructuredOutput('  ```JSON\n{"x":"```"}\n```  '), { x: '```' });
});

test('parseStructuredOutput throws output_invalid with an excerpt for non-JSON text', () => {
  assert.throws(
    () => parseStructuredOutput('Sure! Here is the JSON: {"a":1}'),
    (err: unknown) => {
      const e = err as { code?: string; message: string; details: Record<string, unknown> };
      return e.code === 'output_invalid' && /not valid JSON/.test(e.message) && e.details.reason === 'json_parse'
        && String(e.details.excerpt).startsWith('Sure!');
    },
  );
  assert.throws(() => parseStructuredOutput('   '), /empty/);
});
