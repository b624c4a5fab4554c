import { LlmctlError } from '@llmctl/contracts';
import { join } from 'node:path';
import { CredentialRepository, SecretBox, createRepositories, openDatabase, redactUrl } from '@llmctl/store';
import { loadMasterKey } from '../master-key.ts';
import { loadConfig } from '../config.ts';
import { composeRuntime } from '../runtime/compose-runtime.ts';
import type { CommandContext } from '../cli.ts';

/**
 * `llmctl worker`: an orchestrator without HTTP on a shared PostgreSQL. It takes over the runs of servers that died
 * (at once for dead owners on this host, after the lease TTL for others) and carries them to the end.
 */
export async function workerCommand({ out }: CommandContext): Promise<number> {
  const config = loadConfig(process.env);
  if (!config.databaseUrl) {
    throw new LlmctlError('validation_failed', 'llmctl worker joins a PostgreSQL shared with servers: set DATABASE_URL');
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl });
  const settings = await createRepositories(db.pool).settings.getRuntime();
  // Same credentials (sealed under the same master key) and workspace root as `llmctl serve` on this data dir.
  const credentials = new CredentialRepository(db.pool, new SecretBox(await loadMasterKey(config.dataDir)));
  const { orchestrator } = composeRuntime({
    pool: db.pool, defaults: settings.guardrails, credentials, allowedBaseUrls: config.allowedBaseUrls, workspaceRoot: join(config.dataDir, 'workspaces'),
    logError: (m, e) => out(`${m}: ${(e as Error)?.message ?? e}`),
  });
  await orchestrator.start();
  out(`llmctl worker ${orchestrator.owner} on ${redactUrl(db.url)}: recovering runs of dead owners; Ctrl-C to stop`);
  const report = setInterval(() => {
    const owned = orchestrator.ownedRuns();
    if (owned.length > 0) out(`executing ${owned.length} run(s): ${owned.slice(0, 5).join(', ')}${owned.length > 5 ? ', …' : ''}`);
  }, 10_000);
  report.unref();
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      out(`${signal}: stopping (runs in flight are recovered by the next owner)…`);
      clearInterval(report);
      void orchestrator.stop().then(() => db.close()).then(() => resolve(0), () => resolve(1));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
