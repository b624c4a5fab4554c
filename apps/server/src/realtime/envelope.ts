/**
 * The realtime event envelope of api.md ("Realtime"), built from committed log rows, unlogged runtime events (tokens,
 * artifacts) and config changes. One shape for all: `{ contract_version, event_id, event_type, sequence, run_id,
 * flowchart_id, emitted_at, idempotency_key, correlation_id, request_id, room_keys, payload }`.
 */
import { CONTRACT_VERSION, type EventEnvelope } from '@llmctl/contracts';
import { newId } from '@llmctl/store';
import type { ConfigEvent } from '../app-context.ts';

/** The room every connected socket is in: `config:model:*` events are delivered to everyone through it. */
export const CONFIG_ROOM = 'config:models';

/** A committed run-log event with the run's flowchart (from the in-process bus or read back from `run_events`). */
export interface LogEvent {
  run_id: string;
  flowchart_id: string;
  sequence: number;
  event_id: string;
  event_type: string;
  payload: unknown;
  request_id: string | null;
  correlation_id: string | null;
}

/** An unlogged runtime event (`flowchart:node:token`, `flowchart:node_artifact:persisted`). */
export interface UnloggedRunEvent {
  event_type: string;
  run_id: string;
  flowchart_id: string;
  payload: Record<string, unknown>;
  request_id: string | null;
  correlation_id: string | null;
}

function objectPayload(p: unknown): Record<string, unknown> {
  return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : { value: p ?? null };
}

/** The rooms of a run's events: its run room and its flowchart's room. */
export function runRooms(runId: string, flowchartId: string): string[] {
  return [`run:${runId}`, `flowchart:${flowchartId}`];
}

/** Envelope of a logged run event: `sequence` from the log, `idempotency_key` `<run_id>:<sequence>`. */
export function logEnvelope(e: LogEvent, emittedAt = new Date().toISOString()): EventEnvelope {
  return {
    contract_version: CONTRACT_VERSION,
    event_id: e.event_id,
    event_type: e.event_type,
    sequence: Number(e.sequence),
    run_id: e.run_id,
    flowchart_id: e.flowchart_id,
    emitted_at: emittedAt,
    idempotency_key: `${e.run_id}:${Number(e.sequence)}`,
    correlation_id: e.correlation_id ?? null,
    request_id: e.request_id ?? null,
    room_keys: runRooms(e.run_id, e.flowchart_id),
    payload: objectPayload(e.payload),
  };
}

/**
 * Envelope of an unlogged run event (`sequence: null`). Artifact events carry their own `artifact:<id>:<created_at>`
 * key in the payload; a token has no entity of its own, so its key is `token:<event id>:<emitted_at>`.
 */
export function unloggedEnvelope(e: UnloggedRunEvent, emittedAt = new Date().toISOString()): EventEnvelope {
  const eventId = newId('ev');
  const own = e.payload.idempotency_key;
  return {
    contract_version: CONTRACT_VERSION,
    event_id: eventId,
    event_type: e.event_type,
    sequence: null,
    run_id: e.run_id,
    flowchart_id: e.flowchart_id,
    emitted_at: emittedAt,
    idempotency_key: typeof own === 'string' && own !== '' ? own : `token:${eventId}:${emittedAt}`,
    correlation_id: e.correlation_id ?? null,
    request_id: e.request_id ?? null,
    room_keys: runRooms(e.run_id, e.flowchart_id),
    payload: e.payload,
  };
}

/**
 * Envelope of a config change: `flowchart:definition:updated` goes to `flowchart:<id>`; `config:model:*` to
 * {@link CONFIG_ROOM}, which every socket is in. No run, no sequence.
 */
export function configEnvelope(e: ConfigEvent, emittedAt = new Date().toISOString()): EventEnvelope {
  const rooms = e.event_type === 'flowchart:definition:updated' && e.flowchart_id ? [`flowchart:${e.flowchart_id}`] : [CONFIG_ROOM];
  return {
    contract_version: CONTRACT_VERSION,
    event_id: newId('ev'),
    event_type: e.event_type,
    sequence: null,
    run_id: null,
    flowchart_id: e.flowchart_id,
    emitted_at: emittedAt,
    idempotency_key: e.idempotency_key,
    correlation_id: e.correlation_id || null,
    request_id: e.request_id || null,
    room_keys: rooms,
    payload: e.payload,
  };
}
