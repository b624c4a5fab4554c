/** Validation of logged run events against the `run-event` schema (after upcasting). */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { getContractsAjv } from '../schemas.ts';
import { runEventSchema } from '../schemas/run-event.ts';
import { upcastRunEvent } from './upcast.ts';

let validator: ValidateFunction | undefined;

/** One violation: where in the event, and what. */
export interface RunEventIssue {
  path: string;
  message: string;
}

/**
 * The violations of `payload` against the `run-event` schema once upcast to the current format (empty when valid).
 * Only the violations of the event's own kind are reported (the `if` wrappers are dropped).
 */
export function runEventIssues(payload: unknown): RunEventIssue[] {
  validator ??= getContractsAjv().getSchema(runEventSchema.$id) ?? getContractsAjv().compile(runEventSchema);
  const e = upcastRunEvent(payload);
  if (validator(e)) return [];
  return (validator.errors ?? []).filter((x) => x.keyword !== 'if').map((x) => ({ path: x.instancePath || '/', message: `${x.instancePath || '(root)'} ${x.message ?? 'is invalid'}${x.keyword === 'additionalProperties' ? ` (${String((x.params as { additionalProperty?: unknown }).additionalProperty)})` : ''}` }));
}
