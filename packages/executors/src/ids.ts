import { createHash } from 'node:crypto';

/**
 * The pg-boss job id of a dispatch: a UUID derived from the dispatch id (`<run id>:<sequence>`), so a relay that
 * sends twice inserts one job (`ON CONFLICT DO NOTHING`) and an uncertain send is resolved by looking the id up.
 */
export function jobIdOf(dispatchId: string): string {
  const h = createHash('sha256').update(`llmctl-dispatch:${dispatchId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * Deterministic Kubernetes object name of an attempt (RFC 1123 label, ≤ 63 chars): `llmctl-<hash of run, node run,
 * attempt>`; an uncertain create is resolved by reading this name back.
 */
export function k8sNameOf(dispatchId: string, profile = ''): string {
  const h = createHash('sha256').update(`${dispatchId}${profile ? `:${profile}` : ''}`).digest('hex').slice(0, 20);
  return `llmctl-${h}${profile ? `-${profile}` : ''}`;
}

/** The pg-boss queue of an executor class. */
export function queueNameOf(cls: string): string {
  return `llmctl-node-${cls}`;
}
