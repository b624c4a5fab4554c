import { mkdtemp, rm } from 'node:fs/promises';
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
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'llmctl-bench-pg-'));
    try {
      const server = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', fast: o.fast === true, settings: { max_connections: 300 } });
      adminUrl = server.adminUrl;
      stopServer = async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const url = adminUrl;
  const info = await describe(url);
  return {
    adminUrl: url, embedded: o.adminUrl === undefined, ...info,
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
