import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The llmctl bin shim. */
export const LLMCTL_BIN = fileURLToPath(new URL('../../bin/llmctl.mjs', import.meta.url));

/** Environment without any database URL (so `serve` uses the embedded PostgreSQL) plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LLMCTL_LOG_LEVEL: 'warn', ...extra };
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL;
  delete env.LLMCTL_TEST_DATABASE_URL;
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs llmctl to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LLMCTL_BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running `llmctl serve`. */
export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `llmctl serve …` and resolves once it has printed its banner (rejects if it exits first). */
export function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(process.execPath, [LLMCTL_BIN, 'serve', ...args], { env });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m && out.includes('press Ctrl-C')) resolve({ child, url: m[1]!, output: () => out, exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    void exited.then((code) => reject(new Error(`llmctl serve exited (${code}) before it was ready:\n${out}`)));
  });
}
