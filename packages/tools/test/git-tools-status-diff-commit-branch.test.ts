import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createGitTools, IDEMPOTENCY_TRAILER, invokeTool, parsePorcelainStatus, ToolRegistry } from '../src/index.ts';
import { git, makeCtx, tempDir } from './helpers.ts';

const registry = new ToolRegistry(createGitTools({ author_name: 'Bot', author_email: 'bot@example.com' }));

function repo() {
  const t = tempDir();
  git(t.dir, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(t.dir, 'a.txt'), 'one\n');
  git(t.dir, 'add', '-A');
  git(t.dir, 'commit', '-q', '-m', 'initial');
  return t;
}

test('status reports the branch and changed paths; diff shows unstaged and staged changes', async () => {
  const t = repo();
  try {
    writeFileSync(path.join(t.dir, 'a.txt'), 'two\n');
    writeFileSync(path.join(t.dir, 'new file.txt'), 'n\n');
    const { ctx } = makeCtx(t.dir);
    const status = await invokeTool(registry, 'git_status', {}, ctx());
    assert.deepEqual(status.output, {
      branch: 'main',
      clean: false,
      entries: [
        { path: 'a.txt', index: ' ', worktree: 'M' },
        { path: 'new file.txt', index: '?', worktree: '?' },
      ],
    });
    const diff = await invokeTool(registry, 'git_diff', {}, ctx());
    assert.match((diff.output as { diff: string }).diff, /-one\n\+two/);
    git(t.dir, 'add', 'a.txt');
    const unstaged = await invokeTool(registry, 'git_diff', { paths: ['a.txt'] }, ctx());
    assert.equal((unstaged.output as { diff: string }).diff, '');
    const staged = await invokeTool(registry, 'git_diff', { staged: true }, ctx());
    assert.match((staged.output as { diff: string }).diff, /\+two/);
  } finally {
    t.cleanup();
  }
});

test('commit stages and commits with the configured author and the idempotency trailer', async () => {
  const t = repo();
  try {
    writeFileSync(path.join(t.dir, 'a.txt'), 'two\n');
    mkdirSync(path.join(t.dir, 'src'));
    writeFileSync(path.join(t.dir, 'src', 'b.txt'), 'b\n');
    const { ctx, artifacts } = makeCtx(t.dir);
    const call = ctx();
    const r = await invokeTool(registry, 'git_commit', { message: 'Update files' }, call);
    const out = r.output as { committed: boolean; sha: string; branch: string; files: string[] };
    assert.equal(out.committed, true);
    assert.equal(out.branch, 'main');
    assert.deepEqual(out.files, ['a.txt', 'src/b.txt']);
    assert.equal(git(t.dir, 'rev-parse', 'HEAD').trim(), out.sha);
    assert.equal(git(t.dir, 'log', '-1', '--format=%an <%ae>').trim(), 'Bot <bot@example.com>');
    assert.ok(git(t.dir, 'log', '-1', '--format=%B').includes(`${IDEMPOTENCY_TRAILER}: ${call.idempotency_key}`));
    assert.equal(artifacts.persisted[0]?.kind, 'git_commit');
    const nothing = await invokeTool(registry, 'git_commit', { message: 'again' }, ctx());
    assert.equal((nothing.output as { committed: boolean }).committed, false);
  } finally {
    t.cleanup();
  }
});

test('a commit interrupted before its result was recorded is found again, not repeated', async () => {
  const t = repo();
  try {
    writeFileSync(path.join(t.dir, 'a.txt'), 'two\n');
    const first = makeCtx(t.dir);
    const call = first.ctx();
    const r1 = await invokeTool(registry, 'git_commit', { message: 'Once' }, call);
    // a fresh ledger: the recorded result was lost (crash between commit and record)
    const second = makeCtx(t.dir);
    const r2 = await invokeTool(registry, 'git_commit', { message: 'Once' }, { ...second.ctx(), idempotency_key: call.idempotency_key });
    assert.equal((r2.output as { sha: string }).sha, (r1.output as { sha: string }).sha);
    assert.equal(git(t.dir, 'rev-list', '--count', 'HEAD').trim(), '2');
  } finally {
    t.cleanup();
  }
});

test('branch creates, lists and switches branches and refuses option-like names', async () => {
  const t = repo();
  try {
    const { ctx } = makeCtx(t.dir);
    const created = await invokeTool(registry, 'git_branch', { op: 'create', name: 'feature/x' }, ctx());
    assert.deepEqual(created.output, { current: 'main', branches: ['feature/x', 'main'], created: true });
    const switched = await invokeTool(registry, 'git_branch', { op: 'switch', name: 'feature/x' }, ctx());
    assert.equal((switched.output as { current: string }).current, 'feature/x');
    const bad = await invokeTool(registry, 'git_branch', { op: 'create', name: '--force' }, ctx());
    assert.equal(bad.error?.code, 'tool_input_invalid');
    const invalid = await invokeTool(registry, 'git_branch', { op: 'create', name: 'a..b' }, ctx());
    assert.equal(invalid.error?.code, 'tool_input_invalid');
  } finally {
    t.cleanup();
  }
});

test('git never works on a repository around the workspace', async () => {
  const t = repo();
  try {
    const inner = path.join(t.dir, 'workspace');
    mkdirSync(inner);
    const { ctx } = makeCtx(inner);
    const r = await invokeTool(registry, 'git_status', {}, ctx());
    assert.equal(r.error?.code, 'tool_failed');
    assert.match(r.error?.message ?? '', /not a git repository/i);
  } finally {
    t.cleanup();
  }
});

test('porcelain parsing handles renames, detached HEAD and fresh repositories', () => {
  assert.deepEqual(parsePorcelainStatus('## No commits yet on main\0A  c.txt\0'), {
    branch: 'main', clean: false, entries: [{ path: 'c.txt', index: 'A', worktree: ' ' }],
  });
  assert.deepEqual(parsePorcelainStatus('## HEAD (no branch)\0R  new.txt\0old.txt\0'), {
    branch: null, clean: false, entries: [{ path: 'new.txt', index: 'R', worktree: ' ', orig_path: 'old.txt' }],
  });
  assert.equal(parsePorcelainStatus('## main...origin/main [ahead 1]\0').branch, 'main');
});
