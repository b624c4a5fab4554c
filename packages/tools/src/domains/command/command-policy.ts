/** What a sandboxed command may be: allowlisted program names without shell syntax, and a scrubbed environment. */
import { LlmctlError } from '@llmctl/contracts';

/** Characters a program name may contain; anything else (spaces, `;&|$<>()` quotes, globs…) is refused. */
export const SAFE_PROGRAM_PATTERN = /^[A-Za-z0-9._+\-/]+$/;

/**
 * Variables a command gets from the server's environment: only LANG. PATH and HOME are the sandbox's own (a fixed
 * system PATH and a private empty HOME), never the server's.
 */
export const BASE_ENV_VARS = ['LANG'] as const;

/**
 * Refuses (`command_not_allowed`) a program name with shell metacharacters, one starting with `-`, or one that is not
 * exactly an allowlist entry (entries are bare names looked up on PATH, or absolute paths).
 */
export function checkProgram(program: string, allowlist: readonly string[]): void {
  if (!SAFE_PROGRAM_PATTERN.test(program) || program.startsWith('-')) {
    throw new LlmctlError('command_not_allowed', `Program name "${program}" contains characters that are not allowed`, {
      program,
      reason: 'shell_metacharacters',
    });
  }
  if (!allowlist.includes(program)) {
    throw new LlmctlError('command_not_allowed', `Program "${program}" is not on the command allowlist`, {
      program,
      reason: 'not_allowlisted',
      allowlist: [...allowlist],
    });
  }
}

/**
 * The environment of a command: LANG from `source`, the variables named in `allowed` (from `source`: an operator's explicit
 * choice), then the fixed `extra` values. Nothing else is inherited, so secrets in the
 * server environment stay out; the sandbox adds its own PATH and HOME.
 */
export function commandEnv(
  allowed: readonly string[] = [],
  extra: Readonly<Record<string, string>> = {},
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE_ENV_VARS, ...allowed]) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  if (env.LANG === undefined) env.LANG = 'C.UTF-8';
  return { ...env, ...extra };
}
