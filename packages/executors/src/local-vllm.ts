import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { LlmctlError } from '@llmctl/contracts';
import { startVllmReaper } from './vllm-reaper.ts';

/** Default command (`{model}`, `{host}`, `{port}` are replaced); `LLMCTL_VLLM_COMMAND` overrides it. */
export const DEFAULT_VLLM_COMMAND = 'vllm serve {model} --host {host} --port {port}';

/** How a local vLLM server is started (executor class `vllm`). */
export interface LocalVllmOptions {
  /** The command template, split on whitespace (default {@link DEFAULT_VLLM_COMMAND}, or `LLMCTL_VLLM_COMMAND`). */
  command?: string;
  /** How long the server may take to answer `/health` (default `LLMCTL_VLLM_STARTUP_TIMEOUT_S` or 900 s). */
  startupTimeoutMs?: number;
  /** How long a stopping server gets between SIGTERM and SIGKILL (default 10 s). */
  stopGraceMs?: number;
  /** Receives the server's output lines (default: this process's stderr; never stdout, which carries the markers). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** A running local vLLM server. */
export interface LocalVllm {
  /** `http://127.0.0.1:<port>/v1`: the OpenAI-compatible API. */
  readonly baseUrl: string;
  readonly pid: number;
  /** Resolves when the process has ended (stopped, or crashed). */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

/** A free loopback port (released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function startFailed(model: string, reason: 'exited' | 'timeout' | 'spawn', message: string, output: string, retryable: boolean): LlmctlError {
  return new LlmctlError('vllm_start_failed', `vLLM for ${model} did not start: ${message}`, { model, reason, output: output.slice(-2000) }, retryable);
}

/** Answers true once GET `url` returns 2xx. */
async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer().catch(() => undefined);
    return r.ok;
  } catch {
    return false;
  }
}

/** Stops a process group: SIGTERM, then SIGKILL after `graceMs`. */
function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const kill = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      child.kill(sig);
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), graceMs);
  return exited.finally(() => clearTimeout(timer));
}

/**
 * Starts `vllm serve <model>` on a free loopback port and resolves once it answers `/health` (or `/v1/models`). The
 * wait is gated on the server's state: it ends when the server answers, when the process exits (`vllm_start_failed`,
 * reason `exited`, with the tail of its output), when `startupTimeoutMs` passes (reason `timeout`; the process is
 * stopped) or when `signal` aborts. Whether it uses a GPU or the CPU is the image's concern.
 */
export async function startLocalVllm(model: string, o: LocalVllmOptions = {}, signal?: AbortSignal): Promise<LocalVllm> {
  const env = o.env ?? process.env;
  const template = o.command ?? (env.LLMCTL_VLLM_COMMAND?.trim() || DEFAULT_VLLM_COMMAND);
  const timeoutMs = o.startupTimeoutMs ?? (Number(env.LLMCTL_VLLM_STARTUP_TIMEOUT_S) > 0 ? Number(env.LLMCTL_VLLM_STARTUP_TIMEOUT_S) * 1000 : 900_000);
  const log = o.log ?? ((line: string) => void process.stderr.write(`[vllm] ${line}\n`));
  const port = await freePort();
  const argv = template.split(/\s+/).filter(Boolean).map((a) => a.replaceAll('{model}', model).replaceAll('{host}', '127.0.0.1').replaceAll('{port}', String(port)));
  const [cmd, ...args] = argv;
  if (!cmd) throw startFailed(model, 'spawn', 'the vLLM command is empty', '', false);
  let output = '';
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const onData = (b: Buffer): void => {
    const text = b.toString();
    output = (output + text).slice(-8000);
    for (const line of text.split(/\r?\n/)) if (line) log(line);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exitInfo: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      exitInfo = err.message;
      resolve();
    });
    child.once('exit', (code, sig) => {
      exitInfo ??= sig ? `killed by ${sig}` : `exit code ${code}`;
      resolve();
    });
  });
  const grace = o.stopGraceMs ?? 10_000;
  // The server dies with this process, even a SIGKILLed one (vllm-reaper.ts); a server that ended disarms it.
  if (child.pid !== undefined) {
    const reaper = startVllmReaper(child.pid, grace, log);
    void exited.then(() => reaper.disarm());
  }
  const stop = (): Promise<void> => stopChild(child, exited, grace);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitInfo !== null) throw startFailed(model, 'exited', `the process ended (${exitInfo}) before it answered /health`, output, false);
    if (signal?.aborted) {
      await stop();
      throw signal.reason instanceof Error ? signal.reason : new LlmctlError('interrupted', 'aborted while vLLM was starting');
    }
    if ((await answers(`${base}/health`)) || (await answers(`${base}/v1/models`))) break;
    if (Date.now() >= deadline) {
      await stop();
      throw startFailed(model, 'timeout', `no answer on /health within ${Math.round(timeoutMs / 1000)} s`, output, true);
    }
    // re-check when the process exits or after a short pause, whichever comes first
    await Promise.race([exited, new Promise((r) => setTimeout(r, 250).unref())]);
  }
  return { baseUrl: `${base}/v1`, pid: child.pid!, exited, stop };
}

/**
 * The local vLLM servers of one executor process, one per model, started on first use (again after one died) and
 * stopped by {@link LocalVllmServers.stopAll} (the end of `llmctl executor run`, or a queue worker's stop).
 */
export class LocalVllmServers {
  private readonly servers = new Map<string, Promise<LocalVllm>>();
  constructor(private readonly o: LocalVllmOptions = {}) {}

  /** The base URL of the server for `model`, starting it when needed (a failed start is retried next time). */
  async baseUrlFor(model: string, signal?: AbortSignal): Promise<string> {
    let p = this.servers.get(model);
    if (!p) {
      const started = startLocalVllm(model, this.o, signal);
      p = started;
      this.servers.set(model, started);
      // a failed start, or a server that died later, is started again on the next use
      const forget = (): void => {
        if (this.servers.get(model) === started) this.servers.delete(model);
      };
      started.then((s) => s.exited.then(forget), forget);
    }
    return (await p).baseUrl;
  }

  /** Stops every server started here. */
  async stopAll(): Promise<void> {
    const all = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(all.map((p) => p.then((s) => s.stop(), () => undefined)));
  }
}

/** True for a model served by vLLM inside the executor: provider `vllm_local`, or `vllm` without a base URL. */
export function isLocalVllm(m: { provider: string; base_url?: string | null }): boolean {
  return m.provider === 'vllm_local' || (m.provider === 'vllm' && !m.base_url);
}
