/**
 * Workspace file tools never touch git metadata (issue 13, defect 1 in depth): any `.git` component, in any case, also
 * when reached through a symlink, and writes of `.gitattributes`, `.gitmodules`, `.gitconfig` answer
 * `workspace_path_forbidden`; git tool paths and command working directories inside `.git` are refused too.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createGitTools, createWorkspaceTools, invokeTool, runCommandTool, ToolRegistry } from '../src/index.ts';
import { git, makeCtx, tempDir } from './helpers.ts';

const root = tempDir();
const ws = path.join(root.dir, 'ws');
const registry = new ToolRegistry([...createWorkspaceTools(), ...createGitTools(), runCommandTool({ allowlist: ['ls'] })]);
let configBefore = '';

before(() => {
  git(root.dir, 'init', '-q', '-b', 'main', 'ws');
  mkdirSync(path.join(ws, 'sub', '.git'), { recursive: true });
  writeFileSync(path.join(ws, '.gitattributes'), '*.txt text\n');
  symlinkSync('.git', path.join(ws, 'gitlink'));
  configBefore = readFileSync(path.join(ws, '.git', 'config'), 'utf8');
});
after(() => root.cleanup());

async function call(name: string, input: unknown) {
  const { ctx } = makeCtx(ws);
  return invokeTool(registry, name, input, ctx());
}

test('every workspace tool refuses a path with a .git component, in any case and through symlinks', async () => {
  const cases: [string, Record<string, unknown>][] = [];
  for (const p of ['.git/config', '.GIT/config', '.Git/hooks/pre-commit', './.git/config', 'sub/.git/config', '.git. /config', 'gitlink/config', '.git']) {
    cases.push(['read_file', { path: p }], ['write_file', { path: p, content: '[core]\n\tfsmonitor = id\n' }]);
  }
  cases.push(['list_files', { path: '.git' }], ['list_files', { path: 'gitlink' }], ['search_files', { query: 'core', path: '.git' }]);
  cases.push(['git_diff', { paths: ['.git/config'] }], ['git_commit', { message: 'm', paths: ['gitlink/config'] }]);
  cases.push(['run_command', { program: 'ls', cwd: '.git' }]);
  for (const [name, input] of cases) {
    const r = await call(name, input);
    assert.equal(r.error?.code, 'workspace_path_forbidden', `${name} ${JSON.stringify(input)}: ${JSON.stringify(r.error)}`);
  }
  assert.equal(readFileSync(path.join(ws, '.git', 'config'), 'utf8'), configBefore);
});

test('git configuration files cannot be written anywhere in the workspace, but .gitattributes can be read', async () => {
  for (const p of ['.gitattributes', 'sub/.gitattributes', '.gitmodules', '.GITMODULES', '.gitconfig', 'deep/er/.gitconfig']) {
    const r = await call('write_file', { path: p, content: '* filter=x\n' });
    assert.equal(r.error?.code, 'workspace_path_forbidden', p);
    assert.equal(r.error?.details.reason, 'git_config_file', p);
  }
  const read = await call('read_file', { path: '.gitattributes' });
  assert.equal((read.output as { content: string }).content, '*.txt text\n');
});

test('listing and searching the workspace never descend into .git', async () => {
  const list = await call('list_files', { recursive: true });
  const paths = (list.output as { entries: { path: string }[] }).entries.map((e) => e.path);
  assert.ok(paths.includes('.git'));
  assert.deepEqual(paths.filter((p) => p.toLowerCase().includes('.git/')), []);
  const search = await call('search_files', { query: 'repositoryformatversion' });
  assert.deepEqual((search.output as { matches: unknown[] }).matches, []);
});
