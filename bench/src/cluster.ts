import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createScratchDatabase, startEmbeddedPostgres, type ScratchDatabase } from '@llmctl/store';

/** The PostgreSQL cluster the benchmark runs against (llmctl and the LangGraph checkpointer share it). */
export interface BenchCluster {
  /** URL of a database whose user may CREATE DATABASE. */
  adminUrl: string;
  /** True when this process started it (an embedded server in a temporary directory). */
  embedded: boolean;
  /** Server settings that matter for write cost. */
  settings: Record<string, string>;
  version: string;
  /** Directory of the embedded server's Unix-domain socket (null for an external server). */
  socketDir: string | null;
  /** The same database reached over the Unix-domain socket instead of TCP (null when there is none). */
  viaSocket(url: string): string | null;
  /** A fresh empty database on the cluster (dropped by `stop`). */
  database(prefix: string): Promise<ScratchDatabase>;
  stop(): Promise<void>;
}

async function describe(adminUrl: string): Promise<{ version: string; settings: Record<string, string> }> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const v = await c.query<{ server_version: string }>('SHOW server_version');
    const s = await c.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','shared_buffers','wal_level')`);
    return { version: v.rows[0]!.server_version, settings: Object.fromEntries(s.rows.map((r) => [r.name, r.setting])) };
  } finally {
    await c.end();
  }
}

/**
 * Starts an embedded PostgreSQL (the same binaries and settings as `llmctl serve`; `fast` turns fsync off as the test
 * cluster does) in a temporary directory, or uses `adminUrl` when given (never stopped).
 */
export async function openCluster(o: { adminUrl?: string; fast?: boolean }): Promise<BenchCluster> {
  const dbs: ScratchDatabase[] = [];
  let adminUrl = o.adminUrl;
  let stopServer = async (): Promise<void> => undefined;
  let socketDir: string | null = null;
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'llmctl-bench-pg-'));
    // The server may run as another user (root → postgres): its socket directory must be writable by it.
    const sock = await mkdtemp(join(tmpdir(), 'llmctl-bench-sock-'));
    await chmod(sock, 0o1777);
    const cleanup = async (): Promise<void> => {
      await rm(dir, { recursive: true, force: true });
      await rm(sock, { recursive: true, force: true });
    };
    try {
      // Same server as `llmctl serve` starts, plus a Unix-domain socket (llmctl itself disables it) so the benchmark can
      // compare the two transports; llmctl and the peers connect over TCP like the server does.
      const server = await startEmbeddedPostgres({
        dataDir: dir, database: 'postgres', fast: o.fast === true, settings: { max_connections: 300, unix_socket_directories: sock },
      });
      socketDir = sock;
      adminUrl = server.adminUrl;
      stopServer = async () => {
        await server.stop();
        await cleanup();
      };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
  const url = adminUrl;
  const info = await describe(url);
  return {
    adminUrl: url, embedded: o.adminUrl === undefined, ...info, socketDir,
    viaSocket(tcpUrl) {
      if (!socketDir) return null;
      const u = new URL(tcpUrl);
      return `postgres://${u.username}:${u.password}@${encodeURIComponent(socketDir)}:${u.port}${u.pathname}`;
    },
    async database(prefix) {
      const db = await createScratchDatabase(url, prefix);
      dbs.push(db);
      return db;
    },
    async stop() {
      for (const db of dbs.splice(0)) await db.drop().catch(() => undefined);
      await stopServer();
    },
  };
}
