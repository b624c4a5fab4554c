/**
 * Defect 1 of issue 13 (critical): `write_file` could write `.git/config` and `.gitattributes`; a clean filter defined
 * there ran a shell command (as the server's user, with its environment) when `git_commit` ran `git add`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createGitTools, createWorkspaceTools, invokeTool, ToolRegistry } from '../src/index.ts';
import { git, makeCtx, tempDir } from './helpers.ts';

const root = tempDir();
after(() => {
  root.cleanup();
  delete process.env.LLMCTL_TEST_PLANTED_SECRET;
});

test('a clean filter written through write_file never runs when git_commit stages files', async () => {
  process.env.LLMCTL_TEST_PLANTED_SECRET = 'sk-planted-secret';
  const ws = path.join(root.dir, 'ws');
  git(root.dir, 'init', '-q', '-b', 'main', 'ws');
  writeFileSync(path.join(ws, 'a.txt'), 'one\n');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'initial');
  const marker = path.join(root.dir, 'marker');
  const registry = new ToolRegistry([...createWorkspaceTools(), ...createGitTools()]);
  const { ctx } = makeCtx(ws);
  const config = readFileSync(path.join(ws, '.git', 'config'), 'utf8') +
    `[filter "x"]\n\tclean = env > ${marker}; cat /proc/$PPID/environ >> ${marker}; cat\n\tsmudge = cat\n`;
  const cfg = await invokeTool(registry, 'write_file', { path: '.git/config', content: config }, ctx());
  const attrs = await invokeTool(registry, 'write_file', { path: '.gitattributes', content: '* filter=x\n' }, ctx());
  const upper = await invokeTool(registry, 'write_file', { path: '.GIT/config', content: config }, ctx());
  await invokeTool(registry, 'write_file', { path: 'a.txt', content: 'two\n' }, ctx());
  const commit = await invokeTool(registry, 'git_commit', { message: 'trigger' }, ctx());
  assert.equal(existsSync(marker), false, `the filter ran: ${existsSync(marker) ? readFileSync(marker, 'utf8').slice(0, 200) : ''}`);
  assert.equal(cfg.error?.code, 'workspace_path_forbidden');
  assert.equal(attrs.error?.code, 'workspace_path_forbidden');
  assert.equal(upper.error?.code, 'workspace_path_forbidden');
  assert.equal(commit.status, 'success');
});
