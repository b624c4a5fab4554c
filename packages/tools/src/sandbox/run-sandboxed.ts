/**
 * `runSandboxed`: the one way a tool starts a process (git, run_command). The process gets only the environment the
 * caller built (plus PATH, HOME, LANG of the sandbox), runs under bubblewrap (see bwrap-profile.ts) with resource
 * limits (prlimit: CPU seconds, address space, file size, processes, open files; a pids cgroup where writable) and
 * the timeout, output cap and process-group kill of `runProcess`.
 */
import { LlmctlError } from '@llmctl/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bwrapArgs, SANDBOX_HOME, SANDBOX_PATH } from './bwrap-profile.ts';
import { createPidsCgroup } from './pids-cgroup.ts';
import { runProcess, type ProcessOutcome } from './process-runner.ts';
import { sandboxBinaries, sandboxMode, type SandboxLimits, type SandboxOptions } from './sandbox-mode.ts';

/** One sandboxed process. */
export interface SandboxSpec {
  /** A bare name (looked up on the sandbox PATH) or an absolute path. */
  program: string;
  args: readonly string[];
  /** Real path of the workspace: the only writable host directory. */
  workspace: string;
  /** Absolute working directory inside the workspace (default: the workspace). */
  cwd?: string;
  /** Variables the tool gives the process; nothing is inherited from the server. */
  env?: Readonly<Record<string, string>>;
  stdin?: string;
  timeout_ms: number;
  max_output_bytes: number;
  signal?: AbortSignal;
  /** Network access (default off: a new, empty network namespace). */
  network?: boolean;
  sandbox?: SandboxOptions;
}

const GiB = 1024 * 1024 * 1024;

/** The limits in force for a process with `timeout_ms`. */
export function effectiveLimits(timeout_ms: number, limits: SandboxLimits = {}): Required<SandboxLimits> {
  return {
    cpu_seconds: limits.cpu_seconds ?? Math.ceil(timeout_ms / 1000) + 1,
    address_space_bytes: limits.address_space_bytes ?? 8 * GiB,
    file_size_bytes: limits.file_size_bytes ?? GiB,
    processes: limits.processes ?? 256,
    open_files: limits.open_files ?? 1024,
  };
}

function baseEnv(home: string, env: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: SANDBOX_PATH, LANG: 'C.UTF-8', ...env, HOME: home };
}

/**
 * Runs `spec` in the sandbox. Resolves with the exit status (any); rejects like `runProcess` (`command_timeout`,
 * `command_output_limit`, abort reason, `tool_failed`) or with `sandbox_unavailable`.
 */
export async function runSandboxed(spec: SandboxSpec): Promise<ProcessOutcome> {
  const options = spec.sandbox ?? {};
  const cwd = spec.cwd ?? spec.workspace;
  const common = {
    stdin: spec.stdin,
    timeout_ms: spec.timeout_ms,
    max_output_bytes: spec.max_output_bytes,
    ...(spec.signal ? { signal: spec.signal } : {}),
  };
  if (sandboxMode(options) === 'none') {
    const home = await mkdtemp(path.join(os.tmpdir(), 'llmctl-home-'));
    try {
      return await runProcess({ program: spec.program, args: spec.args, cwd, env: baseEnv(home, spec.env), ...dropUndefined(common) });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }
  const { bwrap, prlimit } = sandboxBinaries(options);
  const limits = effectiveLimits(spec.timeout_ms, options.limits);
  const inner = [
    prlimit,
    `--cpu=${limits.cpu_seconds}`, `--as=${limits.address_space_bytes}`, `--fsize=${limits.file_size_bytes}`,
    `--nproc=${limits.processes}`, `--nofile=${limits.open_files}`, '--core=0',
    bwrap,
    ...bwrapArgs({
      workspace: spec.workspace, cwd, env: baseEnv(SANDBOX_HOME, spec.env),
      ...(spec.network ? { network: true } : {}), ...(options.ro_binds ? { ro_binds: options.ro_binds } : {}),
    }),
    '--', spec.program, ...spec.args,
  ];
  const cgroup = await createPidsCgroup(limits.processes + 2);
  // The pids cgroup is entered before bwrap starts, so every process of the sandbox is counted from the first fork.
  const [program, ...args] = cgroup ? ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, ...inner] : inner;
  try {
    const outcome = await runProcess({ program: program ?? prlimit, args, cwd: spec.workspace, env: { PATH: SANDBOX_PATH }, ...dropUndefined(common) });
    if (outcome.exit_code !== 0 && /^bwrap: /m.test(outcome.stderr) && !outcome.stdout) {
      const line = outcome.stderr.split('\n').find((l) => l.startsWith('bwrap: ')) ?? '';
      if (/execvp/.test(line)) {
        throw new LlmctlError('tool_failed', `Could not start "${spec.program}": ${line.slice(7)}`, { program: spec.program, errno_code: 'ENOENT' });
      }
      throw new LlmctlError('sandbox_unavailable', `The sandbox could not start: ${line.slice(7)}`, { program: spec.program });
    }
    return outcome;
  } finally {
    await cgroup?.remove();
  }
}

function dropUndefined<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
