/**
 * API shapes of the queue workers (`GET /api/workers`, executors.md "Queue backend"): written once as JSON Schema;
 * the TypeScript types are derived from it (`FromSchema`), the server's route schema is this schema and the studio
 * imports the types.
 */
import type { FromSchema } from 'json-schema-to-ts';

/** A queue worker as `GET /api/workers` lists it. */
export const workerViewSchema = {
  type: 'object',
  required: ['id', 'name', 'host', 'pid', 'classes', 'concurrency', 'active', 'started_at', 'heartbeat_at', 'status'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    host: { type: 'string' },
    pid: { type: 'integer' },
    classes: { type: 'array', items: { type: 'string', description: '`frontier` or `vllm`.' } },
    concurrency: { type: 'integer' },
    active: { type: 'integer' },
    started_at: { type: 'string', format: 'date-time' },
    heartbeat_at: { type: 'string', format: 'date-time' },
    status: { enum: ['live', 'draining', 'lost'] },
  },
} as const;

/** A queue worker as `GET /api/workers` lists it. */
export type WorkerView = FromSchema<typeof workerViewSchema>;

/** Queue figures of the `/api/health` executor report and `/metrics`. */
export const queueStatsSchema = {
  type: 'object',
  required: ['depth', 'active', 'live_workers'],
  additionalProperties: false,
  properties: {
    depth: { type: 'integer', description: 'Attempts waiting for a worker (dispatch `submitted`).' },
    active: { type: 'integer', description: 'Attempts running on workers (dispatch `confirmed`).' },
    live_workers: { type: 'integer' },
  },
} as const;

/** Queue figures of the `/api/health` executor report. */
export type QueueStatsView = FromSchema<typeof queueStatsSchema>;

/** The executor block of `GET /api/health`. */
export const executorHealthSchema = {
  type: 'object',
  required: ['backend', 'ok'],
  properties: {
    backend: { type: 'string' },
    ok: { type: ['boolean', 'null'], description: 'null when the backend cannot tell (Kubernetes).' },
    detail: { type: 'string' },
    queue: queueStatsSchema,
  },
} as const;

/** The executor block of `GET /api/health`. */
export type ExecutorHealth = FromSchema<typeof executorHealthSchema>;
