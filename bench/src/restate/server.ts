import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Loopback addresses restate-server listens on (inside its own network namespace every port is free). */
const ADMIN = '127.0.0.1:9070';
const INGRESS = '127.0.0.1:8080';
const FABRIC = '127.0.0.1:5122';

/**
 * The configuration the bench runs restate-server with: defaults (`restate-server --dump-config`), except telemetry
 * off, the web UI off, and every listener on 127.0.0.1. Durability stays at the defaults: the log goes to the
 * embedded log-server (replicated loglet, replication 1) whose RocksDB WAL is fsync'd (`rocksdb-disable-wal-fsync =
 * false`, batched: it group-commits concurrent appends).
 */
export const RESTATE_CONFIG = `disable-telemetry = true
node-name = "bench"
bind-address = "${FABRIC}"
advertised-address = "http://${FABRIC}/"

[admin]
bind-address = "${ADMIN}"
disable-web-ui = true

[ingress]
bind-address = "${INGRESS}"
`;

/** Path of the restate-server binary `@restatedev/restate-server` installs for this platform. */
export function restateServerBinary(): string {
  return createRequire(import.meta.url).resolve(`@restatedev/restate-server-${platform()}-${arch()}/bin/restate-server`);
}

/**
 * Interfaces of this process's network namespace (from /proc/self/net/dev, which is per namespace, unlike
 * /sys/class/net). restate-server may only start where this is `['lo']`: it tries an outbound version check.
 */
export async function networkInterfaces(): Promise<string[]> {
  const text = await readFile('/proc/self/net/dev', 'utf8');
  return text.split('\n').slice(2).map((l) => l.split(':')[0]!.trim()).filter(Boolean);
}

/** A running restate-server (data dir in a temp folder). */
export interface RestateServer {
  version: string;
  /** Its temp folder (config, log, data): removed by `stop`. */
  dataDir: string;
  ingressUrl: string;
  adminUrl: string;
  pid: number;
  /** Registers a service endpoint (`http://127.0.0.1:<port>`) as a deployment. */
  register(uri: string): Promise<void>;
  /** Resident memory of the server process (MB). */
  rssMb(): Promise<number>;
  /** Stops the server and removes its data dir. */
  stop(): Promise<void>;
}

async function waitFor(what: string, child: ChildProcess, probe: () => Promise<boolean>, log: () => Promise<string>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`restate-server exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${(await log()).slice(-2000)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`restate-server: no ${what} after 30 s:\n${(await log()).slice(-2000)}`);
}

/**
 * Starts restate-server; refuses unless this network namespace has nothing but loopback. `binary` replaces the
 * installed server (tests pass a harmless one, so a broken guard cannot start the real server with network).
 */
export async function startRestateServer(o: { binary?: string } = {}): Promise<RestateServer> {
  const ifaces = await networkInterfaces();
  if (ifaces.length !== 1 || ifaces[0] !== 'lo') throw new Error(`refusing to start restate-server with network interfaces ${ifaces.join(', ')} (only lo is allowed)`);
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-bench-restate-'));
  const logFile = join(dir, 'server.log');
  const readLog = (): Promise<string> => readFile(logFile, 'utf8').catch(() => '');
  await writeFile(join(dir, 'config.toml'), RESTATE_CONFIG);
  const bin = o.binary ?? restateServerBinary();
  const out = createWriteStream(logFile);
  await new Promise((r) => out.once('open', r));
  const child = spawn(bin, ['--config-file', join(dir, 'config.toml'), '--base-dir', join(dir, 'data'), '--no-logo', '--listen-mode', 'tcp', '--log-disable-ansi-codes', 'true'], {
    stdio: ['ignore', out, out], env: { ...process.env, RESTATE_DISABLE_TELEMETRY: 'true' },
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    out.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const adminUrl = `http://${ADMIN}`;
    const ingressUrl = `http://${INGRESS}`;
    await waitFor('admin health', child, async () => (await fetch(`${adminUrl}/health`)).ok, readLog);
    await waitFor('ingress health', child, async () => (await fetch(`${ingressUrl}/restate/health`)).ok, readLog);
    const version = ((await (await fetch(`${adminUrl}/version`)).json()) as { version?: string }).version ?? 'unknown';
    return {
      version, dataDir: dir, ingressUrl, adminUrl, pid: child.pid!,
      async register(uri) {
        const res = await fetch(`${adminUrl}/deployments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uri, force: true }) });
        if (!res.ok) throw new Error(`registering ${uri}: HTTP ${res.status} ${await res.text()}`);
      },
      async rssMb() {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
        const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
        return kb ? Number(kb) / 1024 : Number.NaN;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
