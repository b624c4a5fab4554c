import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createRepositories, openDatabase, type Database } from '@llmctl/store';
import { buildApp, type AppDeps, type RouteInstaller } from './app.ts';
import type { ServerConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { seedSamples } from './seed.ts';

/** A listening llmctl server. */
export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  /** `http://host:port`. */
  url: string;
  logger: Logger;
  /** Closes HTTP, then the database (stopping the embedded PostgreSQL). Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  config: ServerConfig;
  extraRoutes?: RouteInstaller[];
  logger?: Logger;
  executorStatus?: AppDeps['executorStatus'];
  onEvent?: AppDeps['onEvent'];
}

/**
 * Opens the database (embedded unless `config.databaseUrl`), migrates, seeds the samples into an empty database,
 * builds the app and listens on `config.host:config.port`. On failure nothing is left running.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel, undefined, config.logFormat);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  let app: FastifyInstance | undefined;
  try {
    if (config.seedSamples) await seedSamples(createRepositories(db.pool), logger);
    app = await buildApp({ db, config, logger, extraRoutes: options.extraRoutes, executorStatus: options.executorStatus, onEvent: options.onEvent });
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app?.close().catch(() => undefined);
    await db.close();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  const listening = app;
  return {
    app: listening, db, logger, url: `http://${host}:${port}`,
    close() {
      closing ??= (async () => {
        await listening.close().catch((err: unknown) => logger.warn({ err }, 'error while closing HTTP'));
        await db.close();
      })();
      return closing;
    },
  };
}
