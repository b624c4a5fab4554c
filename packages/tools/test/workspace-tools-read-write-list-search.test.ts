import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createWorkspaceTools, invokeTool, ToolRegistry } from '../src/index.ts';
import { makeCtx, tempDir } from './helpers.ts';

const registry = new ToolRegistry(createWorkspaceTools({ max_read_bytes: 16 }));

test('write_file creates parents, overwrites, appends and refuses create over an existing file', async () => {
  const t = tempDir();
  try {
    const { ctx } = makeCtx(t.dir);
    const w = await invokeTool(registry, 'write_file', { path: 'd/e/f.txt', content: 'abc' }, ctx());
    assert.deepEqual({ ...(w.output as object), sha256: 'x' }, { path: 'd/e/f.txt', bytes_written: 3, size: 3, sha256: 'x' });
    await invokeTool(registry, 'write_file', { path: 'd/e/f.txt', content: 'de', mode: 'append' }, ctx());
    assert.equal(readFileSync(path.join(t.dir, 'd/e/f.txt'), 'utf8'), 'abcde');
    const c = await invokeTool(registry, 'write_file', { path: 'd/e/f.txt', content: 'x', mode: 'create' }, ctx());
    assert.equal(c.error?.code, 'tool_conflict');
    const b64 = await invokeTool(registry, 'write_file', { path: 'bin', content: Buffer.from([0, 1, 2]).toString('base64'), encoding: 'base64' }, ctx());
    assert.equal((b64.output as { bytes_written: number }).bytes_written, 3);
  } finally {
    t.cleanup();
  }
});

test('read_file returns content and truncates at the read limit', async () => {
  const t = tempDir();
  try {
    writeFileSync(path.join(t.dir, 'long.txt'), 'x'.repeat(40));
    const { ctx } = makeCtx(t.dir);
    const r = await invokeTool(registry, 'read_file', { path: 'long.txt' }, ctx());
    assert.deepEqual(r.output, { path: 'long.txt', content: 'x'.repeat(16), encoding: 'utf8', size: 40, truncated: true });
    const missing = await invokeTool(registry, 'read_file', { path: 'nope.txt' }, ctx());
    assert.equal(missing.error?.code, 'tool_failed');
  } finally {
    t.cleanup();
  }
});

test('list_files lists sorted entries, recursively without descending .git', async () => {
  const t = tempDir();
  try {
    mkdirSync(path.join(t.dir, 'src'));
    mkdirSync(path.join(t.dir, '.git'));
    writeFileSync(path.join(t.dir, '.git', 'HEAD'), 'x');
    writeFileSync(path.join(t.dir, 'src', 'b.ts'), 'bb');
    writeFileSync(path.join(t.dir, 'a.txt'), 'a');
    const { ctx } = makeCtx(t.dir);
    const r = await invokeTool(registry, 'list_files', { recursive: true }, ctx());
    assert.deepEqual(r.output, {
      path: '.',
      entries: [
        { path: '.git', type: 'directory', size: 0 },
        { path: 'a.txt', type: 'file', size: 1 },
        { path: 'src', type: 'directory', size: 0 },
        { path: 'src/b.ts', type: 'file', size: 2 },
      ],
      truncated: false,
    });
  } finally {
    t.cleanup();
  }
});

test('search_files finds literal matches with line numbers, case-insensitively by default, skipping binaries', async () => {
  const t = tempDir();
  try {
    writeFileSync(path.join(t.dir, 'a.txt'), 'first\nTODO: fix (this)\nlast todo\n');
    writeFileSync(path.join(t.dir, 'bin.dat'), Buffer.from([0, 84, 79, 68, 79]));
    const { ctx } = makeCtx(t.dir);
    const r = await invokeTool(registry, 'search_files', { query: 'todo' }, ctx());
    assert.deepEqual((r.output as { matches: unknown[] }).matches, [
      { path: 'a.txt', line: 2, text: 'TODO: fix (this)' },
      { path: 'a.txt', line: 3, text: 'last todo' },
    ]);
    const cs = await invokeTool(registry, 'search_files', { query: '(this)', case_sensitive: true }, ctx());
    assert.equal((cs.output as { matches: unknown[] }).matches.length, 1);
  } finally {
    t.cleanup();
  }
});
