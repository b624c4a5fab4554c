import { isIP } from 'node:net';
import { redactUrl } from '@llmctl/store';
import type { RouteInstaller } from '../app.ts';
import { loadConfig, parseLogFormat, parsePort, parseTokens } from '../config.ts';
import { startServer } from '../server.ts';
import { installProcessGuards } from '../process-guards.ts';
import type { CommandContext } from '../cli.ts';

/** Route installers `llmctl serve` adds to the built-in API (the runtime's run routes are plugged in here). */
export const SERVE_EXTRA_ROUTES: RouteInstaller[] = [];

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * `llmctl serve [--host 127.0.0.1] [--port 8080] [--data-dir .llmctl] [--token T[,T…]]`. Tokens from `--token` are
 * added to those of LLMCTL_API_TOKENS; with any, every API route but health needs `Authorization: Bearer`.
 */
export async function serveCommand({ flags, out }: CommandContext): Promise<number> {
  installProcessGuards();
  const env = loadConfig(process.env);
  const cliTokens = typeof flags.token === 'string' ? parseTokens('--token', flags.token) : [];
  const tokens = [...new Set([...(env.apiTokens ?? []), ...cliTokens])];
  const config = loadConfig(process.env, {
    host: flags.host as string | undefined,
    port: flags.port !== undefined ? parsePort('--port', String(flags.port)) : undefined,
    dataDir: flags['data-dir'] as string | undefined,
    ...(typeof flags['log-format'] === 'string' ? { logFormat: parseLogFormat('--log-format', flags['log-format']) } : {}),
    ...(tokens.length > 0 ? { apiTokens: tokens } : {}),
  });
  const server = await startServer({ config, extraRoutes: SERVE_EXTRA_ROUTES });
  installProcessGuards(server.logger);
  out(`llmctl Studio is running at ${server.url}`);
  out(server.db.embedded
    ? `database: embedded PostgreSQL, data in ${server.db.dataDir} (logs: ${server.db.dataDir}/postgres.log)`
    : `database: external PostgreSQL ${redactUrl(server.db.url)} (DATABASE_URL)`);
  const embedded = server.db.embeddedServer;
  if (embedded) {
    if (!embedded.pgDataDir.startsWith(`${embedded.dataDir}/`)) out(`database: cluster files in ${embedded.pgDataDir} (reachable by the postgres OS user)`);
    // The supervisor restarts a postmaster that dies; say so on the console too (details in the JSON logs).
    embedded.onDown((d) => out(`database: the embedded PostgreSQL (pid ${d.pid}) exited unexpectedly; restarting it…`));
    embedded.onRestart((r) => out(`database: the embedded PostgreSQL is back (pid ${r.pid}, attempt ${r.attempts})`));
    embedded.onFailed((f) => out(`database: the embedded PostgreSQL could not be restarted after ${f.attempts} attempts; see ${embedded.logFile}`));
  }
  const auth = server.app.llmctlAuth;
  const limit = auth.rateLimit ? `; rate limit ${auth.rateLimit.perSecond}/s, burst ${auth.rateLimit.burst}` : '';
  if (auth.enabled) out(`auth: on — every API route but GET /api/health needs Authorization: Bearer <token>${limit}`);
  else {
    out(isLoopback(config.host)
      ? `auth: off — the API is open to anyone who can reach ${config.host} (local use only)${limit}`
      : `auth: off — WARNING: listening on ${config.host} without authentication; anyone who can reach it controls llmctl${limit}`);
  }
  out('press Ctrl-C to stop');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        out(`${signal} again: exiting immediately`);
        process.exit(130);
      }
      stopping = true;
      out(`${signal} received: stopping${server.db.embedded ? ' (and the embedded PostgreSQL)' : ''}…`);
      server.close().then(() => {
        out('stopped');
        resolve(0);
      }, (err: unknown) => {
        out(`error while stopping: ${(err as Error).message}`);
        resolve(1);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
