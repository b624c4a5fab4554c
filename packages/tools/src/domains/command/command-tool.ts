/**
 * `run_command`: an allowlisted program, arguments as an array, no shell, confined cwd, timeout and output cap, run in
 * the tool sandbox (bubblewrap: scrubbed environment, no network, only the workspace writable, resource limits).
 */
import { LlmctlError } from '@llmctl/contracts';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
import { checkReservedPath } from '../workspace/reserved-paths.ts';
import { resolveWorkspacePath } from '../workspace/workspace-paths.ts';
import { checkProgram, commandEnv } from './command-policy.ts';
import { runSandboxed } from '../../sandbox/run-sandboxed.ts';
import type { SandboxOptions } from '../../sandbox/sandbox-mode.ts';

/** Configuration of the command tool. */
export interface CommandToolOptions extends DomainToolOptions {
  /** Programs that may run: bare names (looked up on PATH) or absolute paths, matched exactly. */
  allowlist: readonly string[];
  /** Extra variables inherited from the server environment (besides PATH, HOME, LANG). */
  allowed_env?: readonly string[];
  /** Fixed variables set for every command. */
  env?: Readonly<Record<string, string>>;
  /** Cap on stdout + stderr bytes (default 1 MiB). */
  max_output_bytes?: number;
  /** Timeout when the call names none (default 60 s). */
  default_timeout_ms?: number;
  /** Largest timeout a call may ask for (default 10 min). */
  max_timeout_ms?: number;
  /** Let commands reach the network (default false: an empty network namespace). */
  network?: boolean;
  /** Sandbox mode, limits and extra read-only binds (default: bubblewrap, see docs/security.md). */
  sandbox?: SandboxOptions;
}

/** Input of `run_command`. */
export interface RunCommandInput {
  program: string;
  args?: string[];
  cwd?: string;
  stdin?: string;
  timeout_ms?: number;
  /** When true a non-zero exit status fails the call (`tool_failed`). */
  check?: boolean;
}

/** Output of `run_command`. */
export interface RunCommandOutput {
  program: string;
  args: string[];
  exit_code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** The `run_command` tool; emits a `command_result` artifact. */
export function runCommandTool(options: CommandToolOptions): Tool<RunCommandInput, RunCommandOutput> {
  const maxOutput = options.max_output_bytes ?? 1024 * 1024;
  const defaultTimeout = options.default_timeout_ms ?? 60_000;
  const maxTimeout = Math.max(options.max_timeout_ms ?? 600_000, defaultTimeout);
  const env = commandEnv(options.allowed_env, options.env);
  return defineTool<RunCommandInput, RunCommandOutput>({
    name: 'run_command',
    description:
      `Run an allowlisted program (${options.allowlist.join(', ') || 'none allowed'}) with arguments, without a shell, ` +
      'in the run workspace. Returns exit code, stdout and stderr.',
    input_schema: {
      type: 'object',
      required: ['program'],
      additionalProperties: false,
      properties: {
        program: { type: 'string', minLength: 1, maxLength: 4096 },
        args: { type: 'array', maxItems: 1024, items: { type: 'string', maxLength: 65536, pattern: '^[^\\u0000]*$' } },
        cwd: { type: 'string', minLength: 1, maxLength: 4096, description: 'Working directory relative to the workspace' },
        stdin: { type: 'string' },
        timeout_ms: { type: 'integer', minimum: 1 },
        check: { type: 'boolean' },
      },
    },
    output_schema: {
      type: 'object',
      required: ['program', 'args', 'exit_code', 'signal', 'stdout', 'stderr'],
      additionalProperties: false,
      properties: {
        program: { type: 'string' },
        args: { type: 'array', items: { type: 'string' } },
        exit_code: { type: ['integer', 'null'] },
        signal: { type: ['string', 'null'] },
        stdout: { type: 'string' },
        stderr: { type: 'string' },
      },
    },
    side_effect: 'external',
    retry: options.retry ?? { max_attempts: 1, backoff_ms: 0 },
    timeout_ms: options.timeout_ms ?? maxTimeout + 5_000,
    async run(input, ctx) {
      checkProgram(input.program, options.allowlist);
      const cwd = await resolveWorkspacePath(ctx.workspace_dir, input.cwd ?? '.');
      checkReservedPath(input.cwd ?? '.', cwd.relative, false);
      const args = input.args ?? [];
      const done = await runSandboxed({
        program: input.program,
        args,
        workspace: cwd.root,
        cwd: cwd.absolute,
        env: { ...env, LLMCTL_IDEMPOTENCY_KEY: ctx.idempotency_key },
        ...(input.stdin !== undefined ? { stdin: input.stdin } : {}),
        timeout_ms: Math.min(input.timeout_ms ?? defaultTimeout, maxTimeout),
        max_output_bytes: maxOutput,
        signal: ctx.signal,
        ...(options.network ? { network: true } : {}),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      });
      if (input.check && done.exit_code !== 0) {
        throw new LlmctlError('tool_failed', `"${input.program}" exited with ${done.exit_code ?? done.signal}`, {
          program: input.program,
          exit_code: done.exit_code,
          signal: done.signal,
          stderr: done.stderr.slice(-4000),
        });
      }
      ctx.emitArtifact({
        kind: 'command_result',
        name: input.program,
        content: {
          program: input.program,
          args,
          exit_code: done.exit_code,
          signal: done.signal,
          stdout_bytes: Buffer.byteLength(done.stdout),
          stderr_bytes: Buffer.byteLength(done.stderr),
        },
      });
      return { program: input.program, args, exit_code: done.exit_code, signal: done.signal, stdout: done.stdout, stderr: done.stderr };
    },
  });
}
