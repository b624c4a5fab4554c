/**
 * Which sandbox tool processes run in. Default: bubblewrap (`bwrap`), found on a fixed list of system directories and
 * the server's PATH. Missing bubblewrap fails closed (`sandbox_unavailable`); only the operator setting
 * `LLMCTL_TOOL_SANDBOX=none` runs tool processes unsandboxed (still with a scrubbed environment, timeout and cap).
 */
import { LlmctlError } from '@llmctl/contracts';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** `bwrap`: bubblewrap namespaces + limits; `none`: a plain child process (operator opt-out). */
export type SandboxMode = 'bwrap' | 'none';

/** Operator and test overrides of the sandbox. */
export interface SandboxOptions {
  /** Default: `LLMCTL_TOOL_SANDBOX` (`bwrap` when unset). */
  mode?: SandboxMode;
  /** Path of the bwrap binary (default: looked up). */
  bwrap_path?: string;
  /** Resource limits of every sandboxed process. */
  limits?: SandboxLimits;
  /** Extra host paths bound read-only (e.g. a toolchain outside /usr). */
  ro_binds?: readonly string[];
}

/** Resource limits (setrlimit via prlimit, plus a pids cgroup where one is writable). */
export interface SandboxLimits {
  /** CPU seconds (RLIMIT_CPU); default: the timeout in seconds + 1. */
  cpu_seconds?: number;
  /** Address space bytes (RLIMIT_AS); default 8 GiB. */
  address_space_bytes?: number;
  /** Largest file written (RLIMIT_FSIZE); default 1 GiB. */
  file_size_bytes?: number;
  /** Processes (RLIMIT_NPROC and pids.max); default 256. */
  processes?: number;
  /** Open files (RLIMIT_NOFILE); default 1024. */
  open_files?: number;
}

/** The environment variable an operator sets to `none` to run tool processes without bubblewrap. */
export const SANDBOX_ENV_VAR = 'LLMCTL_TOOL_SANDBOX';

const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin', '/sbin'];

/** The first executable `name` in the system directories, then in the server's PATH. */
export function findExecutable(name: string, extraDirs: readonly string[] = (process.env.PATH ?? '').split(':')): string | undefined {
  for (const dir of [...SYSTEM_DIRS, ...extraDirs]) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The mode asked for by `options` or the environment; an unknown value fails closed. */
export function sandboxMode(options: SandboxOptions = {}, env: NodeJS.ProcessEnv = process.env): SandboxMode {
  const wanted = options.mode ?? (env[SANDBOX_ENV_VAR] || 'bwrap');
  if (wanted === 'bwrap' || wanted === 'none') return wanted;
  throw new LlmctlError('sandbox_unavailable', `${SANDBOX_ENV_VAR}="${wanted}" is not a sandbox mode (bwrap or none)`, { mode: wanted });
}

/** The bwrap and prlimit binaries, or `sandbox_unavailable`. */
export function sandboxBinaries(options: SandboxOptions = {}): { bwrap: string; prlimit: string } {
  const bwrap = options.bwrap_path ?? findExecutable('bwrap');
  const prlimit = findExecutable('prlimit');
  const usable = (p: string | undefined): p is string => {
    if (!p) return false;
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!usable(bwrap)) {
    throw new LlmctlError('sandbox_unavailable', 'bubblewrap (bwrap) is not installed, so tool processes cannot run sandboxed', {
      bwrap_path: bwrap ?? null,
      hint: `install the Debian package bubblewrap, or set ${SANDBOX_ENV_VAR}=none to run tools unsandboxed`,
    });
  }
  if (!usable(prlimit)) {
    throw new LlmctlError('sandbox_unavailable', 'prlimit (util-linux) is not installed, so tool resource limits cannot be set', {});
  }
  return { bwrap, prlimit };
}
