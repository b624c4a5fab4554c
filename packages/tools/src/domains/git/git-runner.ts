/**
 * Runs the `git` binary with execFile (never a shell) in the workspace, with a scrubbed environment: no inherited
 * variables but PATH, HOME and LANG, no system or global config, no hooks, no prompts, no pager, and repository
 * discovery stopped at the workspace (GIT_CEILING_DIRECTORIES), so git never works on a repository around it.
 */
import { LlmctlError } from '@llmctl/contracts';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { commandEnv } from '../command/command-policy.ts';

/** Who commits, and which git binary runs. */
export interface GitRunnerOptions {
  git_path?: string;
  author_name?: string;
  author_email?: string;
  /** Largest stdout accepted (default 32 MiB). */
  max_buffer_bytes?: number;
}

/** The result of a git command that exited (with any status). */
export interface GitOutput {
  exit_code: number;
  stdout: string;
  stderr: string;
}

const SAFE_CONFIG = [
  '--no-pager',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.pager=cat',
  '-c', 'color.ui=false',
  '-c', 'gc.auto=0',
  '-c', 'commit.gpgSign=false',
  '-c', 'init.defaultBranch=main',
];

/** The environment git runs with for the workspace whose real path is `root`. */
export function gitEnv(root: string, options: GitRunnerOptions = {}): Record<string, string> {
  const name = options.author_name ?? 'llmctl';
  const email = options.author_email ?? 'llmctl@localhost';
  return commandEnv([], {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CEILING_DIRECTORIES: path.dirname(root),
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  });
}

/**
 * Runs `git <args>` in `root`. Resolves for any exit status when `allowExit` lists it (default only 0); other exits
 * reject with `tool_failed` (details: args, exit_code, stderr). An abort of `signal` kills git and rejects.
 */
export function runGit(
  root: string,
  args: readonly string[],
  options: GitRunnerOptions & { signal?: AbortSignal; allowExit?: readonly number[] } = {},
): Promise<GitOutput> {
  const allowExit = options.allowExit ?? [0];
  return new Promise((resolve, reject) => {
    execFile(
      options.git_path ?? 'git',
      [...SAFE_CONFIG, ...args],
      {
        cwd: root,
        env: gitEnv(root, options),
        maxBuffer: options.max_buffer_bytes ?? 32 * 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        const exit_code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && options.signal?.aborted) {
          reject(options.signal.reason);
          return;
        }
        if (error && typeof error.code !== 'number') {
          reject(new LlmctlError('tool_failed', `git could not run: ${error.message}`, { args: [...args], errno_code: error.code ?? null }));
          return;
        }
        if (!allowExit.includes(exit_code)) {
          const first = stderr.trim().split('\n')[0] ?? '';
          reject(new LlmctlError('tool_failed', `git ${args[0] ?? ''} failed: ${first}`, {
            args: [...args],
            exit_code,
            stderr: stderr.slice(-4000),
          }));
          return;
        }
        resolve({ exit_code, stdout, stderr });
      },
    );
  });
}

/** Refuses a ref or branch name that could be read as an option or is not a valid branch name. */
export async function checkBranchName(root: string, name: string, options: GitRunnerOptions = {}): Promise<void> {
  if (name.startsWith('-') || name.includes('\0')) {
    throw new LlmctlError('tool_input_invalid', `Invalid branch name "${name}"`, { name });
  }
  const res = await runGit(root, ['check-ref-format', '--branch', name], { ...options, allowExit: [0, 1, 128] });
  if (res.exit_code !== 0) throw new LlmctlError('tool_input_invalid', `Invalid branch name "${name}"`, { name });
}
