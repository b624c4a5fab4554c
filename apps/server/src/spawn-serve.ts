/**
 * Starting `llmctl serve` as a child process and waiting for its banner — the one helper the server's tests and the
 * benchmarks share (`@llmctl/server/spawn-serve`; the bench may depend on the server, never the reverse).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The llmctl bin shim (compiled build when fresh, else the TypeScript sources through tsx). */
export const LLMCTL_BIN = fileURLToPath(new URL('../bin/llmctl.mjs', import.meta.url));

/** How to start `llmctl serve`. */
export interface SpawnServeOptions {
  /** Arguments after `serve` (`--port 0`, `--data-dir DIR`, …). */
  args?: string[];
  /** The child's whole environment. */
  env: NodeJS.ProcessEnv;
  /** Node.js flags before the CLI (`--cpu-prof`, `--max-semi-space-size=2`, …). */
  nodeArgs?: string[];
  cwd?: string;
}

/** A running `llmctl serve`. */
export interface ServeProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The URL of its banner (`llmctl Studio is running at …`). */
  url: string;
  /** Its stdout and stderr so far (the last 256 KiB). */
  output(): string;
  /** Its exit code (null: killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGINT, the graceful stop) unless it has exited; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const KEEP = 256 * 1024;

/**
 * Starts `llmctl serve …` and resolves once it has printed its whole banner (the URL line through
 * `press Ctrl-C to stop`); rejects with its output if it exits before.
 */
export function spawnServe(o: SpawnServeOptions): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), LLMCTL_BIN, 'serve', ...(o.args ?? [])], {
    env: o.env, stdio: ['ignore', 'pipe', 'pipe'], ...(o.cwd ? { cwd: o.cwd } : {}),
  });
  let out = '';
  const append = (c: Buffer): void => {
    out += c.toString();
    if (out.length > 2 * KEEP) out = out.slice(-KEEP);
  };
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => {
    code = c;
    resolve(c);
  }));
  const stop = async (signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> => {
    if (code === undefined && child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const onData = (c: Buffer): void => {
      append(c);
      if (ready) return;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m && out.includes('press Ctrl-C')) {
        ready = true;
        resolve({ child, url: m[1]!, output: () => out, exited, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    void exited.then((c) => {
      if (!ready) reject(new Error(`llmctl serve exited (${c}) before it was ready:\n${out}`));
    });
  });
}
