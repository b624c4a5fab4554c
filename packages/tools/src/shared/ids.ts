/** Deterministic ids derived from idempotency keys, so a re-run call writes the same rows. */
import { createHash } from 'node:crypto';

/** `<prefix>_<24 hex chars of sha256(key)>`. */
export function idFromKey(prefix: string, key: string): string {
  return `${prefix}_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}
