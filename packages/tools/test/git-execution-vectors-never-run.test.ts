/**
 * The git part of the sandbox escape catalogue (issue 13): every known way to make git execute a program or reach out
 * of the workspace is planted straight on disk (as a command run in the workspace could), then the git tools run.
 * No payload may execute — with the bubblewrap sandbox and, to prove the git hardening alone holds, without it.
 */
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createGitTools, invokeTool, ToolRegistry, type SandboxMode } from '../src/index.ts';
import { git, makeCtx, tempDir } from './helpers.ts';

const root = tempDir();
after(() => root.cleanup());

interface Planted { ws: string; payload: string; markers: string[]; outside: string }
interface Vector {
  name: string;
  plant: (p: Planted) => void;
  /** Tool calls that would trigger the vector. */
  calls: [string, Record<string, unknown>][];
  /** The error code every call must answer (default: the calls succeed). */
  refused?: string;
  env?: Record<string, string>;
}

const config = (p: Planted, text: string): void => appendFileSync(path.join(p.ws, '.git', 'config'), text);
const attrs = (p: Planted, text: string): void => writeFileSync(path.join(p.ws, '.gitattributes'), text);
const script = (p: Planted, file: string): string => {
  writeFileSync(file, `#!/bin/sh\n${p.payload}\n`);
  chmodSync(file, 0o755);
  return file;
};
const commit: [string, Record<string, unknown>] = ['git_commit', { message: 'trigger' }];
const status: [string, Record<string, unknown>] = ['git_status', {}];
const diff: [string, Record<string, unknown>] = ['git_diff', {}];

const VECTORS: Vector[] = [
  { name: 'clean filter', plant: (p) => { config(p, `[filter "x"]\n\tclean = ${p.payload}\n`); attrs(p, '* filter=x\n'); }, calls: [status, diff, commit] },
  { name: 'smudge filter on checkout', plant: (p) => { config(p, `[filter "x"]\n\tsmudge = ${p.payload}\n\tclean = cat\n`); attrs(p, '* filter=x\n'); }, calls: [commit, ['git_branch', { op: 'switch', name: 'other' }]] },
  { name: 'long-running process filter', plant: (p) => { config(p, `[filter "x"]\n\tprocess = ${p.payload}\n\trequired = true\n`); attrs(p, '* filter=x\n'); }, calls: [commit] },
  { name: 'diff textconv', plant: (p) => { config(p, `[diff "x"]\n\ttextconv = ${p.payload}\n`); attrs(p, '* diff=x\n'); }, calls: [diff, ['git_diff', { staged: true }]] },
  { name: 'diff driver command', plant: (p) => { config(p, `[diff "x"]\n\tcommand = ${p.payload}\n`); attrs(p, '* diff=x\n'); }, calls: [diff] },
  { name: 'diff.external', plant: (p) => config(p, `[diff]\n\texternal = ${p.payload}\n`), calls: [diff] },
  { name: 'merge driver', plant: (p) => { config(p, `[merge "x"]\n\tdriver = ${p.payload}\n`); attrs(p, '* merge=x\n'); }, calls: [commit] },
  { name: 'core.fsmonitor', plant: (p) => config(p, `[core]\n\tfsmonitor = ${p.payload}\n`), calls: [status, commit] },
  { name: 'core.hooksPath to a planted directory', plant: (p) => { mkdirSync(path.join(p.ws, 'hooks')); for (const h of ['pre-commit', 'post-commit', 'commit-msg', 'post-checkout']) script(p, path.join(p.ws, 'hooks', h)); config(p, '[core]\n\thooksPath = hooks\n'); }, calls: [commit, ['git_branch', { op: 'switch', name: 'other' }]] },
  { name: 'pre-commit hook in .git/hooks', plant: (p) => { mkdirSync(path.join(p.ws, '.git', 'hooks'), { recursive: true }); script(p, path.join(p.ws, '.git', 'hooks', 'pre-commit')); }, calls: [commit, status], refused: 'git_repository_unsafe' },
  { name: 'post-commit hook symlinked into .git/hooks', plant: (p) => { mkdirSync(path.join(p.ws, '.git', 'hooks'), { recursive: true }); symlinkSync(script(p, path.join(p.outside, 'hook.sh')), path.join(p.ws, '.git', 'hooks', 'post-commit')); }, calls: [commit], refused: 'git_repository_unsafe' },
  { name: 'core.sshCommand and an ssh remote', plant: (p) => config(p, `[core]\n\tsshCommand = ${p.payload}\n[remote "origin"]\n\turl = ssh://example.invalid/x.git\n`), calls: [status, commit] },
  { name: 'core.pager, pager.diff and pager.status', plant: (p) => config(p, `[core]\n\tpager = ${p.payload}\n[pager]\n\tdiff = ${p.payload}\n\tstatus = ${p.payload}\n`), calls: [diff, status] },
  { name: 'core.editor and sequence.editor', plant: (p) => config(p, `[core]\n\teditor = ${p.payload}\n[sequence]\n\teditor = ${p.payload}\n`), calls: [commit] },
  { name: 'include.path to a planted config', plant: (p) => { writeFileSync(path.join(p.ws, 'evil.cfg'), `[filter "x"]\n\tclean = ${p.payload}\n[core]\n\tfsmonitor = ${p.payload}\n`); config(p, `[include]\n\tpath = ${path.join(p.ws, 'evil.cfg')}\n`); attrs(p, '* filter=x\n'); }, calls: [status, commit] },
  { name: 'includeIf gitdir to a planted config', plant: (p) => { writeFileSync(path.join(p.outside, 'evil.cfg'), `[diff]\n\texternal = ${p.payload}\n[filter "x"]\n\tclean = ${p.payload}\n`); config(p, `[includeIf "gitdir:/"]\n\tpath = ${path.join(p.outside, 'evil.cfg')}\n`); attrs(p, '* filter=x\n'); }, calls: [diff, commit] },
  { name: '.gitmodules and submodule update commands', plant: (p) => { writeFileSync(path.join(p.ws, '.gitmodules'), `[submodule "s"]\n\tpath = s\n\turl = ./s\n\tupdate = !${p.payload}\n`); config(p, `[submodule "s"]\n\tupdate = !${p.payload}\n\turl = ./s\n[submodule]\n\trecurse = true\n`); }, calls: [status, commit, ['git_branch', { op: 'switch', name: 'other' }]] },
  { name: 'credential.helper', plant: (p) => config(p, `[credential]\n\thelper = !${p.payload}\n`), calls: [status, commit] },
  { name: 'alias with !', plant: (p) => config(p, `[alias]\n\tst = !${p.payload}\n\tstatus = !${p.payload}\n\tdiff = !${p.payload}\n`), calls: [status, diff] },
  { name: 'gpg.program with commit.gpgSign', plant: (p) => config(p, `[commit]\n\tgpgSign = true\n[gpg]\n\tprogram = ${script(p, path.join(p.outside, 'gpg.sh'))}\n`), calls: [commit] },
  { name: 'uploadpack and alternateRefsCommand hooks', plant: (p) => config(p, `[uploadpack]\n\tpackObjectsHook = ${p.payload}\n[core]\n\talternateRefsCommand = ${p.payload}\n`), calls: [status, commit] },
  { name: 'GIT_* variables in the server environment', plant: () => undefined, env: {
    GIT_EXTERNAL_DIFF: '/bin/sh -c "touch $LLMCTL_T_MARK"', GIT_PAGER: 'touch $LLMCTL_T_MARK', GIT_EDITOR: 'touch $LLMCTL_T_MARK', GIT_SSH_COMMAND: 'touch $LLMCTL_T_MARK',
    GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_CONFIG_VALUE_0: 'touch $LLMCTL_T_MARK', GIT_CONFIG_PARAMETERS: "'diff.external'='touch $LLMCTL_T_MARK'",
  }, calls: [status, diff, commit] },
  { name: '.git as a gitdir pointer out of the workspace', plant: (p) => { rmSync(path.join(p.ws, '.git'), { recursive: true }); git(p.outside, 'init', '-q', 'other-repo'); writeFileSync(path.join(p.ws, '.git'), `gitdir: ${path.join(p.outside, 'other-repo', '.git')}\n`); }, calls: [status, commit], refused: 'git_repository_unsafe' },
  { name: '.git as a symlink out of the workspace', plant: (p) => { rmSync(path.join(p.ws, '.git'), { recursive: true }); git(p.outside, 'init', '-q', 'linked'); symlinkSync(path.join(p.outside, 'linked', '.git'), path.join(p.ws, '.git')); }, calls: [status, commit], refused: 'git_repository_unsafe' },
];

let n = 0;
function setup(): Planted {
  n += 1;
  const base = path.join(root.dir, `case-${n}`);
  const ws = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  mkdirSync(outside, { recursive: true });
  git(base, 'init', '-q', '-b', 'main', 'ws');
  writeFileSync(path.join(ws, 'a.txt'), 'one\n');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'initial');
  git(ws, 'branch', 'other');
  git(ws, 'switch', '-q', 'other');
  writeFileSync(path.join(ws, 'b.txt'), 'other branch\n');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'other');
  git(ws, 'switch', '-q', 'main');
  const markers = [path.join(ws, 'PWNED-inside'), path.join(outside, 'PWNED-outside')];
  return { ws, outside, markers, payload: `touch ${markers[0]} ${markers[1]}` };
}

for (const mode of ['bwrap', 'none'] as SandboxMode[]) {
  const registry = new ToolRegistry(createGitTools({ sandbox: { mode } }));
  for (const v of VECTORS) {
    test(`${v.name} never executes (sandbox: ${mode})`, async () => {
      const p = setup();
      v.plant(p);
      writeFileSync(path.join(p.ws, 'a.txt'), 'two\n');
      const saved: Record<string, string | undefined> = {};
      for (const [k, val] of Object.entries(v.env ?? {})) {
        saved[k] = process.env[k];
        process.env[k] = val;
      }
      process.env.LLMCTL_T_MARK = p.markers[1];
      try {
        for (const [tool, input] of v.calls) {
          const { ctx } = makeCtx(p.ws);
          const r = await invokeTool(registry, tool, input, ctx());
          if (v.refused) assert.equal(r.error?.code, v.refused, `${tool}: ${JSON.stringify(r.error)}`);
          else assert.equal(r.status, 'success', `${tool}: ${JSON.stringify(r.error)}`);
        }
      } finally {
        for (const [k, val] of Object.entries(saved)) {
          if (val === undefined) delete process.env[k];
          else process.env[k] = val;
        }
        delete process.env.LLMCTL_T_MARK;
      }
      for (const m of p.markers) assert.equal(existsSync(m), false, `payload ran: ${m}`);
    });
  }
}
