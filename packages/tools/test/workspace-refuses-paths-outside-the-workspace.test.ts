import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createWorkspaceTools, invokeTool, resolveWorkspacePath, ToolRegistry } from '../src/index.ts';
import { makeCtx, tempDir } from './helpers.ts';

let root: { dir: string; cleanup: () => void };
let ws: string;
let outside: string;
const registry = new ToolRegistry(createWorkspaceTools());

before(() => {
  root = tempDir();
  ws = path.join(root.dir, 'ws');
  outside = path.join(root.dir, 'outside');
  mkdirSync(ws);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'top secret');
  writeFileSync(path.join(ws, 'inside.txt'), 'fine');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link-to-secret'));
  symlinkSync(outside, path.join(ws, 'link-to-outside-dir'));
  symlinkSync(path.join(outside, 'missing.txt'), path.join(ws, 'dangling'));
  symlinkSync(path.join(ws, 'inside.txt'), path.join(ws, 'link-inside'));
});
after(() => root.cleanup());

async function call(name: string, input: unknown) {
  const { ctx } = makeCtx(ws);
  return invokeTool(registry, name, input, ctx());
}

test('"../" paths are refused with path_outside_workspace by every workspace tool', async () => {
  for (const [name, input] of [
    ['read_file', { path: '../outside/secret.txt' }],
    ['read_file', { path: 'sub/../../outside/secret.txt' }],
    ['write_file', { path: '../outside/new.txt', content: 'x' }],
    ['list_files', { path: '..' }],
    ['search_files', { query: 'secret', path: '../outside' }],
  ] as const) {
    const r = await call(name, input);
    assert.equal(r.error?.code, 'path_outside_workspace', `${name} ${JSON.stringify(input)}`);
  }
  assert.equal(existsSync(path.join(outside, 'new.txt')), false);
});

test('absolute paths are refused with path_outside_workspace, even inside the workspace', async () => {
  for (const [name, input] of [
    ['read_file', { path: path.join(outside, 'secret.txt') }],
    ['read_file', { path: path.join(ws, 'inside.txt') }],
    ['write_file', { path: '/tmp/llmctl-escape.txt', content: 'x' }],
    ['list_files', { path: '/' }],
  ] as const) {
    const r = await call(name, input);
    assert.equal(r.error?.code, 'path_outside_workspace', `${name} ${JSON.stringify(input)}`);
  }
  assert.equal(existsSync('/tmp/llmctl-escape.txt'), false);
});

test('symlinks resolving outside the workspace are refused, for existing and new files', async () => {
  const read = await call('read_file', { path: 'link-to-secret' });
  assert.equal(read.error?.code, 'path_outside_workspace');
  const readThroughDir = await call('read_file', { path: 'link-to-outside-dir/secret.txt' });
  assert.equal(readThroughDir.error?.code, 'path_outside_workspace');
  const writeNew = await call('write_file', { path: 'link-to-outside-dir/new/deeper.txt', content: 'x' });
  assert.equal(writeNew.error?.code, 'path_outside_workspace');
  const overwrite = await call('write_file', { path: 'link-to-secret', content: 'pwned' });
  assert.equal(overwrite.error?.code, 'path_outside_workspace');
  const dangling = await call('write_file', { path: 'dangling', content: 'x' });
  assert.equal(dangling.error?.code, 'path_outside_workspace');
  const list = await call('list_files', { path: 'link-to-outside-dir' });
  assert.equal(list.error?.code, 'path_outside_workspace');
  assert.equal(existsSync(path.join(outside, 'new')), false);
  assert.equal(existsSync(path.join(outside, 'missing.txt')), false);
});

test('a symlink that stays inside the workspace is allowed', async () => {
  const r = await call('read_file', { path: 'link-inside' });
  assert.equal(r.status, 'success');
  assert.equal((r.output as { content: string }).content, 'fine');
  assert.equal((await resolveWorkspacePath(ws, 'link-inside')).relative, 'inside.txt');
});

test('search does not follow symlinks out of the workspace', async () => {
  const r = await call('search_files', { query: 'secret' });
  assert.equal(r.status, 'success');
  assert.deepEqual((r.output as { matches: unknown[] }).matches, []);
});
