import { spawn } from 'node:child_process';
import { LLMCTL_BIN, spawnServe, type ServeProcess } from '../../src/spawn-serve.ts';

export { LLMCTL_BIN, type ServeProcess };

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

/** Starts `llmctl serve …` and resolves once it has printed its banner (rejects if it exits first). */
export function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  return spawnServe({ args, env });
}
