/** Validation of logged run events against the published `run-event` schema (after upcasting). */
import { validateAgainst, type SchemaError } from '../schemas.ts';
import { upcastRunEvent } from './upcast.ts';

/**
 * The violations of `payload` against the `run-event` schema once upcast to the current format (empty when valid).
 * Only the violations of the event's own kind are reported.
 */
export function runEventIssues(payload: unknown): SchemaError[] {
  return validateAgainst('run-event', upcastRunEvent(payload)).errors;
}
