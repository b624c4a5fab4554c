import type { ChildProcess } from 'node:child_process';
import { spawnServe } from '../../src/spawn-serve.ts';

/** An `llmctl serve` child process on an external database (so it can be killed and restarted). */
export interface ChildServer {
  child: ChildProcess;
  url: string;
}

/** Starts `llmctl serve --port 0` on `databaseUrl`; resolves once it has printed its banner. */
export async function startChildServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const s = await spawnServe({
    args: ['--port', '0'],
    env: { ...process.env, DATABASE_URL: databaseUrl, LLMCTL_LOG_LEVEL: 'silent', LLMCTL_SEED_SAMPLES: 'false', ...env },
  });
  return { child: s.child, url: s.url };
}

/** Stops a child server with a signal (SIGKILL: a crash) and waits for it to exit. */
export async function stopChildServer(p: ChildServer, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill(signal);
  });
}

/** Calls the API of a child server; resolves with `data`, throws on an error envelope. */
export async function callApi(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { ok: boolean; data: unknown };
  if (!json.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json.data;
}
