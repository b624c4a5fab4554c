/**
 * The benchmark's server: a real `llmctl serve` child process (so the browser and the server do not share the
 * benchmark's event loop) on a fresh database of a private embedded PostgreSQL, serving the current studio build.
 */
import { createScratchDatabase } from '@llmctl/store';
import { startTestCluster } from '../../../scripts/test-cluster.mjs';
import { callApi, startChildServer, stopChildServer } from '../../server/test/support/child-server.ts';
import { ensureStudioBuild } from '../e2e/support/studio-build.ts';

/** A running benchmark server. */
export interface BenchServer {
  url: string;
  /** Calls the API; resolves with `data`, throws on an error envelope. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Builds the studio if needed (unless `distDir`, another build, is given), starts PostgreSQL and the server. */
export async function startBenchServer(distDir?: string): Promise<BenchServer> {
  const dist = distDir ?? (await ensureStudioBuild());
  const cluster = await startTestCluster();
  let db: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  try {
    db = await createScratchDatabase(cluster.url);
    const child = await startChildServer(db.url, { LLMCTL_STUDIO_DIST: dist });
    return {
      url: child.url,
      api: (method, path, body) => callApi(child.url, method, path, body),
      async stop() {
        await stopChildServer(child, 'SIGTERM');
        await db?.drop().catch(() => undefined);
        await cluster.stop();
      },
    };
  } catch (err) {
    await db?.drop().catch(() => undefined);
    await cluster.stop();
    throw err;
  }
}
