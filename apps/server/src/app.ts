import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createRepositories } from '@llmctl/store';
import type { AppContext, AppDeps, ExecutorStatus, RouteInstaller } from './app-context.ts';
import { frameworkErrorHandler, installErrorHandler, installNotFound, MAX_PARAM_LENGTH } from './error-mapper.ts';
import { clientErrorHandler, installHostHeaderCheck } from './client-error.ts';
import { installUnstorableInputGuard } from './unstorable-input.ts';
import { installIdempotency } from './idempotency.ts';
import { installAuth } from './auth/install-auth.ts';
import { installApiDocs } from './openapi/install-docs.ts';
import { realtimeRoutes } from './realtime/install-realtime.ts';
import { installJsonBodyParser } from './json-body.ts';
import { createLogger } from './logger.ts';
import { installRequestLog } from './request-log.ts';
import { LazyChildLogger } from './lazy-logger.ts';
import { correlationIdOf, requestIdOf } from './request-context.ts';
import { installStudio } from './studio.ts';
import { contractRoutes } from './routes/contracts.ts';
import { flowchartRoutes } from './routes/flowcharts.ts';
import { healthRoutes } from './routes/health.ts';
import { modelRoutes } from './routes/models.ts';
import { settingsRoutes } from './routes/settings.ts';
import { retentionRoutes } from './routes/run-retention.ts';
import { runtimeRoutes } from './runtime/runtime-routes.ts';
import { migrationRoutes } from './routes/migrations.ts';
import { providerRoutes } from './routes/providers.ts';
import { specialRoutes } from './routes/special.ts';
import { observabilityRoutes } from './observability/observability-routes.ts';
import { executorHealth, workerRoutes } from './routes/workers.ts';
import { nodeTestRoutes } from './routes/node-tests.ts';

export type { AppContext, AppDeps, RouteInstaller } from './app-context.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app context (database, config, repositories) for plugins that need it. */
    llmctl: AppContext;
  }
}

/** The built-in API routes, in registration order. */
export const BUILTIN_ROUTES: RouteInstaller[] = [healthRoutes, contractRoutes, flowchartRoutes, modelRoutes, settingsRoutes, providerRoutes, runtimeRoutes, nodeTestRoutes, migrationRoutes, retentionRoutes, specialRoutes, observabilityRoutes, realtimeRoutes];

/**
 * Builds the HTTP app (not listening): JSON body parsing with the configured limit, request and correlation ids,
 * the Idempotency-Key ledger, the built-in routes, `deps.extraRoutes`, the studio at `/`, and one error mapper that
 * turns every failure into the api.md error envelope.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { db, config } = deps;
  const logger: Logger = deps.logger ?? createLogger(config.logLevel, undefined, config.logFormat);
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimit,
    requestIdHeader: false,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    // A request's child logger is made only when the request writes a line at an enabled level (lazy-logger.ts).
    childLoggerFactory(parent, bindings, opts, raw) {
      return new LazyChildLogger(parent as Logger, () => parent.child({ ...bindings, correlation_id: correlationIdOf(raw, String(bindings.request_id)) }, opts)) as unknown as FastifyBaseLogger;
    },
    // Every response is the envelope: errors raised before routing (frameworkErrors) and requests Node's parser
    // refuses (clientErrorHandler) included. A request that still reaches a closing app is served as usual rather
    // than answered with Fastify's own 503 body (idle connections are closed first, so this is rare).
    return503OnClosing: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    http: { requireHostHeader: false },
  }) as unknown as FastifyInstance;

  const repos = createRepositories(db.pool);
  const ctx: AppContext = {
    db, config, repos, logger,
    emit(event) {
      try {
        deps.onEvent?.(event);
      } catch (err) {
        logger.warn({ err }, 'event listener failed');
      }
    },
    executorStatus: deps.executorStatus ?? (async (): Promise<ExecutorStatus> => executorHealth(db.pool, (await repos.settings.getRuntime()).executor)),
  };
  installErrorHandler(app, config.bodyLimit);
  app.decorate('llmctl', ctx);
  app.decorateRequest('correlationId', '');
  app.addHook('onRequest', async (req, reply) => {
    req.correlationId = correlationIdOf(req.raw, req.id);
    reply.header('x-request-id', req.id);
    reply.header('x-correlation-id', req.correlationId);
  });
  installHostHeaderCheck(app);
  installRequestLog(app, logger);

  installJsonBodyParser(app);
  installUnstorableInputGuard(app);
  installIdempotency(app, db.pool);
  await installApiDocs(app, config.version);
  await installAuth(app, ctx);
  for (const install of [...BUILTIN_ROUTES, workerRoutes, ...(deps.extraRoutes ?? [])]) await install(app, ctx);
  const studioFallback = await installStudio(app, config.studioDist);
  installNotFound(app, studioFallback);
  return app;
}
