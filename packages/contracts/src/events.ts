/** Event names (`domain:entity:action`) and the event envelope (shared/spec/api.md "Realtime"). */

/** Public event types. The run log may also hold engine event types (see ENGINE_EVENT_TYPES). */
export const EVENT_TYPES = [
  'flowchart:run:updated',
  'flowchart:node:updated',
  'flowchart:node:token',
  'flowchart:node_artifact:persisted',
  'flowchart:run:control',
  'flowchart:definition:updated',
  'config:model:created',
  'config:model:updated',
  'config:model:deleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CONTRACT_VERSION = 'v1';

export interface EventEnvelope<P = Record<string, unknown>> {
  contract_version: 'v1';
  event_id: string;
  event_type: string;
  sequence: number | null;
  run_id: string | null;
  flowchart_id: string | null;
  emitted_at: string;
  idempotency_key: string;
  correlation_id: string | null;
  request_id: string | null;
  room_keys: string[];
  payload: P;
}

export { EVENT_FORMAT_VERSION, eventFormatOf, stampEventFormat } from './events/format.ts';
export { upcastRunEvent } from './events/upcast.ts';
export { runEventIssues } from './events/validate.ts';
export { runEventSchema, RUN_EVENT_KIND_SCHEMAS, RUN_EVENT_KINDS, tokenSchema, leftoverTokenSchema, type RunEventKind } from './schemas/run-event.ts';
