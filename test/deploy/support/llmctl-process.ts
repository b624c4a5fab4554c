/**
 * Helpers for tests that start an installed or assembled `llmctl` (not the checkout's): spawn `serve` with a given
 * environment, wait for its banner, run a sample flowchart through the HTTP API, stop it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** A running `llmctl serve`. */
export interface Served {
  url: string;
  child: ChildProcessWithoutNullStreams;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `command args` and resolves once the serve banner (`running at URL … press Ctrl-C`) is printed. */
export function startServed(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Served> {
  // The one variable a clean environment still gets: where the test run keeps embedded PostgreSQL clusters that the
  // postgres OS user cannot reach in a private temp dir (scripts/test-cluster.mjs removes that directory at the end;
  // without it they would pile up in /var/lib/llmctl-pg).
  const shared = process.env.LLMCTL_EMBEDDED_PG_DIR;
  const child = spawn(command, args, { env: shared && !env.LLMCTL_EMBEDDED_PG_DIR ? { ...env, LLMCTL_EMBEDDED_PG_DIR: shared } : env, cwd });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m && out.includes('press Ctrl-C')) resolve({ url: m[1]!, child, output: () => out, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`${command} ${args.join(' ')} exited (${code}) before it was ready:\n${out}`)));
  });
}

interface Envelope<T> { ok: boolean; data: T }

async function api<T>(url: string, init?: RequestInit): Promise<{ status: number; body: Envelope<T> }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}

/** GET /api/health. */
export function health(base: string) {
  return api<{ status: string; database: { embedded: boolean; ok: boolean } }>(`${base}/api/health`);
}

/** Runs the seeded "Hello (offline)" sample with `{text}` and long-polls until it ends; returns the finished run. */
export async function runHelloSample(base: string, text = 'hi'): Promise<{ status: string; output?: unknown }> {
  const list = await api<{ id: string; name: string }[]>(`${base}/api/flowcharts`);
  const hello = list.body.data.find((f) => f.name === 'Hello (offline)');
  if (!hello) throw new Error(`no seeded "Hello (offline)" flowchart: ${JSON.stringify(list.body)}`);
  const started = await api<{ id: string }>(`${base}/api/flowcharts/${hello.id}/runs`, { method: 'POST', body: JSON.stringify({ input: { text } }) });
  if (started.status !== 201) throw new Error(`run not started: ${JSON.stringify(started.body)}`);
  for (;;) {
    const run = await api<{ status: string; output?: unknown }>(`${base}/api/runs/${started.body.data.id}?wait_s=30`);
    if (['succeeded', 'failed', 'canceled', 'paused'].includes(run.body.data.status)) return run.body.data;
  }
}
