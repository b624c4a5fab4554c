/**
 * Runs one program without a shell, in its own process group, with a timeout and an output cap. On timeout, cap or
 * abort the whole group gets SIGKILL; the group is also killed after a normal exit so no background child survives.
 */
import { LlmctlError } from '@llmctl/contracts';
import { spawn } from 'node:child_process';

/** One process to run. */
export interface ProcessSpec {
  program: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  stdin?: string;
  timeout_ms: number;
  /** Cap on stdout + stderr bytes together. */
  max_output_bytes: number;
  signal?: AbortSignal;
}

/** How a process ended. */
export interface ProcessOutcome {
  pid: number;
  exit_code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Milliseconds to wait for the pipes to close once the process has exited or been killed. */
const CLOSE_GRACE_MS = 1000;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `spec`. Resolves with the exit status (a non-zero exit is not an error here); rejects with `command_timeout`,
 * `command_output_limit` (output stops being read at the cap), the abort reason, or `tool_failed` (spawn error, e.g.
 * a program missing from PATH). Errors carry `details.pid` when the process started.
 */
export function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  return new Promise<ProcessOutcome>((resolve, reject) => {
    if (spec.signal?.aborted) {
      reject(spec.signal.reason);
      return;
    }
    const child = spawn(spec.program, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      shell: false,
      detached: true,
      windowsHide: true,
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let failure: unknown;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const settle = (outcome: ProcessOutcome | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      killGroup(pid);
      if (failure !== undefined) reject(failure);
      else if (outcome) resolve(outcome);
    };
    const stop = (reason: unknown): void => {
      if (failure !== undefined || settled) return;
      failure = reason;
      child.stdout?.destroy();
      child.stderr?.destroy();
      killGroup(pid);
      graceTimer = setTimeout(() => settle(undefined), CLOSE_GRACE_MS);
    };
    const onAbort = (): void => stop(spec.signal?.reason);
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      stop(new LlmctlError('command_timeout', `"${spec.program}" ran longer than ${spec.timeout_ms} ms and was killed`, {
        program: spec.program,
        timeout_ms: spec.timeout_ms,
        pid,
      }));
    }, spec.timeout_ms);

    const collect = (sink: Buffer[]) => (chunk: Buffer): void => {
      if (failure !== undefined) return;
      bytes += chunk.length;
      if (bytes > spec.max_output_bytes) {
        stop(new LlmctlError('command_output_limit', `"${spec.program}" wrote more than ${spec.max_output_bytes} bytes and was killed`, {
          program: spec.program,
          limit: spec.max_output_bytes,
          pid,
        }));
        return;
      }
      sink.push(chunk);
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    child.stdin?.on('error', () => undefined); // EPIPE when the program ignores its input
    child.stdin?.end(spec.stdin);

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (failure === undefined) {
        failure = new LlmctlError('tool_failed', `Could not start "${spec.program}": ${e.message}`, {
          program: spec.program,
          errno_code: e.code ?? null,
        });
      }
      settle(undefined);
    });
    child.on('exit', () => {
      killGroup(pid); // background children of the program
      graceTimer ??= setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, CLOSE_GRACE_MS);
    });
    child.on('close', (code, sig) => {
      settle({
        pid: pid ?? -1,
        exit_code: code,
        signal: sig,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
