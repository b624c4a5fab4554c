import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type pg from 'pg';
import type { Repositories } from '@llmctl/store';
import type { ServerConfig } from './config.ts';

/** What the app needs of the database: a pool, and whether it is the embedded server. */
export interface AppDatabase {
  pool: pg.Pool;
  embedded: boolean;
}

/** Executor status reported by /api/health (the runtime plugs a live one in through `AppDeps.executorStatus`). */
export interface ExecutorStatus {
  backend: string;
  ok: boolean | null;
  detail?: string;
  [key: string]: unknown;
}

/** A change outside runs (`flowchart:definition:updated`, `config:model:created|updated|deleted`), for realtime. */
export interface ConfigEvent {
  event_type: 'flowchart:definition:updated' | 'config:model:created' | 'config:model:updated' | 'config:model:deleted';
  flowchart_id: string | null;
  /** `<entity>:<id>:<updated_at>` (api.md realtime idempotency key for events outside runs). */
  idempotency_key: string;
  request_id: string;
  correlation_id: string;
  payload: Record<string, unknown>;
}

/** Everything a route installer gets. */
export interface AppContext {
  db: AppDatabase;
  config: ServerConfig;
  repos: Repositories;
  logger: Logger;
  /** Reports a config change (no-op unless `AppDeps.onEvent` is set). */
  emit(event: ConfigEvent): void;
  executorStatus(): Promise<ExecutorStatus>;
}

/** A function that adds routes (and hooks) to the app; the lead's run routes plug in this way. */
export type RouteInstaller = (app: FastifyInstance, ctx: AppContext) => Promise<void>;

/** Dependencies of {@link buildApp}. */
export interface AppDeps {
  db: AppDatabase;
  config: ServerConfig;
  /** Extra route installers, run after the built-in routes (e.g. `/api/runs…`). */
  extraRoutes?: RouteInstaller[];
  /** Logger (default: pino JSON on stdout at `config.logLevel`). */
  logger?: Logger;
  /** Live executor status for /api/health (default: derived from the runtime settings). */
  executorStatus?: () => Promise<ExecutorStatus>;
  /** Receives config change events (for Socket.IO). */
  onEvent?: (event: ConfigEvent) => void;
}
