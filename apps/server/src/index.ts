/** @llmctl/server — the llmctl CLI, the Fastify HTTP API and the studio host. */
export { buildApp, BUILTIN_ROUTES } from './app.ts';
export type { AppContext, AppDeps, RouteInstaller } from './app.ts';
export type { AppDatabase, ConfigEvent, ExecutorStatus } from './app-context.ts';
export { loadConfig, parseByteSize, parsePort, DEFAULT_BODY_LIMIT } from './config.ts';
export type { ServerConfig } from './config.ts';
export { ok, errorEnvelope } from './envelope.ts';
export { mapError } from './error-mapper.ts';
export { createLogger, REDACT_PATHS } from './logger.ts';
export { validHeaderId } from './request-context.ts';
export { startServer } from './server.ts';
export type { RunningServer, StartServerOptions } from './server.ts';
export { seedSamples, readSamples, SAMPLES_DIR } from './seed.ts';
export { validateDocument } from './flowchart-validation.ts';
export { main, COMMANDS } from './cli.ts';
export type { CommandSpec, CommandContext } from './cli.ts';
export { requireId, optionalPositiveInt, requireObjectBody, queryOf } from './routes/params.ts';
export { composeRuntime } from './runtime/compose-runtime.ts';
export type { RuntimeOptions } from './runtime/compose-runtime.ts';
