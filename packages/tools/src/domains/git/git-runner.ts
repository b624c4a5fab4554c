/**
 * Runs the `git` binary in the tool sandbox (never a shell, never the server's environment): a fixed environment (no
 * system or global config, no system attributes, a private empty HOME, no prompts, repository discovery stopped at
 * the workspace), every executing setting switched off on the command line, and the repository's own config reset to
 * a known-safe content before each call (git-repository-guard.ts).
 */
import { LlmctlError } from '@llmctl/contracts';
import path from 'node:path';
import { runSandboxed } from '../../sandbox/run-sandboxed.ts';
import type { SandboxOptions } from '../../sandbox/sandbox-mode.ts';
import { guardRepository } from './git-repository-guard.ts';

/** Who commits, and which git binary runs. */
export interface GitRunnerOptions {
  git_path?: string;
  author_name?: string;
  author_email?: string;
  /** Largest stdout + stderr accepted (default 32 MiB). */
  max_buffer_bytes?: number;
  /** Timeout of one git process (default 60 s). */
  process_timeout_ms?: number;
  /** Sandbox mode, limits and binds (default: bubblewrap). */
  sandbox?: SandboxOptions;
}

/** The result of a git command that exited (with any status). */
export interface GitOutput {
  exit_code: number;
  stdout: string;
  stderr: string;
}

/** Options given to every git invocation: each disables something git could execute or reach. */
export const SAFE_GIT_CONFIG: readonly string[] = [
  '--no-pager',
  '--no-optional-locks',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.sshCommand=false',
  '-c', 'core.pager=cat',
  '-c', 'core.editor=false',
  '-c', 'sequence.editor=false',
  '-c', 'core.askPass=false',
  '-c', 'core.attributesFile=/dev/null',
  '-c', 'core.untrackedCache=false',
  '-c', 'credential.helper=',
  '-c', 'gpg.program=false',
  '-c', 'protocol.allow=never',
  '-c', 'protocol.file.allow=never',
  '-c', 'submodule.recurse=false',
  '-c', 'color.ui=false',
  '-c', 'gc.auto=0',
  '-c', 'maintenance.auto=false',
  '-c', 'commit.gpgSign=false',
  '-c', 'tag.gpgSign=false',
  '-c', 'init.defaultBranch=main',
];

/** The environment git runs with for the workspace whose real path is `root` (nothing from the server's). */
export function gitEnv(root: string, options: GitRunnerOptions = {}): Record<string, string> {
  const name = options.author_name ?? 'llmctl';
  const email = options.author_email ?? 'llmctl@localhost';
  return {
    LANG: 'C.UTF-8',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PROTOCOL_FROM_USER: '0',
    GIT_CEILING_DIRECTORIES: path.dirname(root),
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  };
}

function spawnGit(
  root: string,
  args: readonly string[],
  options: GitRunnerOptions & { signal?: AbortSignal },
) {
  return runSandboxed({
    program: options.git_path ?? 'git',
    args: [...SAFE_GIT_CONFIG, ...args],
    workspace: root,
    env: gitEnv(root, options),
    timeout_ms: options.process_timeout_ms ?? 60_000,
    max_output_bytes: options.max_buffer_bytes ?? 32 * 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
}

/**
 * Runs `git <args>` in `root` (a workspace without `.git` is no repository: git fails). Resolves for any exit
 * status `allowExit` lists (default only 0); other exits reject with `tool_failed` (details: args, exit_code, stderr).
 * An unsafe repository rejects with `git_repository_unsafe`; an abort of `signal` kills git and rejects.
 */
export async function runGit(
  root: string,
  args: readonly string[],
  options: GitRunnerOptions & { signal?: AbortSignal; allowExit?: readonly number[] } = {},
): Promise<GitOutput> {
  const allowExit = options.allowExit ?? [0];
  await guardRepository(root);
  const res = await spawnGit(root, args, options);
  const exit_code = res.exit_code ?? -1;
  if (!allowExit.includes(exit_code)) {
    const first = res.stderr.trim().split('\n')[0] ?? '';
    throw new LlmctlError('tool_failed', `git ${args[0] ?? ''} failed: ${first}`, {
      args: [...args],
      exit_code,
      ...(res.signal ? { signal: res.signal } : {}),
      stderr: res.stderr.slice(-4000),
    });
  }
  return { exit_code, stdout: res.stdout, stderr: res.stderr };
}

/** Refuses a ref or branch name that could be read as an option or is not a valid branch name. */
export async function checkBranchName(root: string, name: string, options: GitRunnerOptions = {}): Promise<void> {
  if (name.startsWith('-') || name.includes('\0')) {
    throw new LlmctlError('tool_input_invalid', `Invalid branch name "${name}"`, { name });
  }
  const res = await runGit(root, ['check-ref-format', '--branch', name], { ...options, allowExit: [0, 1, 128] });
  if (res.exit_code !== 0) throw new LlmctlError('tool_input_invalid', `Invalid branch name "${name}"`, { name });
}
