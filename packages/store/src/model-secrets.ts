/**
 * Credentials inside model settings: header values and any field named like a credential are sealed (one
 * `secrets_enc` blob per model) and replaced in `settings` by a mask, so reads, events and the `settings` column never
 * hold them. Writing a mask back (a client that sends the settings it read) keeps the sealed value.
 */
import type { SecretBox } from './secret-box.ts';
import { maskSecret } from './secret-box.ts';

/** Settings field names whose string values are credentials. */
export const CREDENTIAL_FIELD_RE = /key|token|secret|password|passwd|authorization|cookie|credential/i;

/** One sealed settings value: where it sits in `settings`, the value and the mask shown in its place. */
export interface SecretEntry {
  path: string[];
  value: string;
  mask: string;
}

/** `Bearer …9f8e` for scheme-prefixed values (Authorization headers), else `sk-…9f8e` (see {@link maskSecret}). */
export function maskCredential(value: string): string {
  const m = /^([A-Za-z][A-Za-z0-9-]{0,15})\s+(\S.*)$/.exec(value);
  if (m) return `${m[1]} …${m[2]!.length > 8 ? m[2]!.slice(-4) : m[2]!.slice(-2)}`;
  return maskSecret(value);
}

const key = (path: string[]) => JSON.stringify(path);

/**
 * Splits `settings` into masked settings and the secret entries. A value equal to the mask of the `previous` entry at
 * the same path keeps that entry's value. Scripted models have no credentials (nothing is sent anywhere).
 */
export function splitSecrets(settings: Record<string, unknown>, previous: SecretEntry[] = []): { settings: Record<string, unknown>; entries: SecretEntry[] } {
  const before = new Map(previous.map((e) => [key(e.path), e]));
  const entries: SecretEntry[] = [];
  const walk = (v: unknown, path: string[], secret: boolean, depth: number): unknown => {
    if (typeof v === 'string' && secret && v !== '') {
      const old = before.get(key(path));
      const value = old && old.mask === v ? old.value : v;
      const mask = maskCredential(value);
      entries.push({ path, value, mask });
      return mask;
    }
    if (v === null || typeof v !== 'object' || depth > 16) return v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)], secret, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      // defineProperty: a `__proto__` key (valid JSON) stays an own property.
      Object.defineProperty(out, k, { value: walk(x, [...path, k], secret || CREDENTIAL_FIELD_RE.test(k) || (depth === 0 && k === 'headers'), depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return { settings: walk(settings, [], false, 0) as Record<string, unknown>, entries };
}

/** Puts the secret values back into masked `settings` (for the model gateway only). */
export function joinSecrets(settings: Record<string, unknown>, entries: SecretEntry[]): Record<string, unknown> {
  const out = structuredClone(settings);
  for (const e of entries) {
    let node: Record<string, unknown> = out;
    for (const p of e.path.slice(0, -1)) {
      const next = Object.hasOwn(node, p) ? node[p] : undefined;
      if (next === null || typeof next !== 'object') break;
      node = next as Record<string, unknown>;
    }
    Object.defineProperty(node, e.path.at(-1)!, { value: e.value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Seals the entries (null when there are none). */
export function sealEntries(box: SecretBox, entries: SecretEntry[]): string | null {
  return entries.length === 0 ? null : box.seal(JSON.stringify(entries));
}

/** Opens a `secrets_enc` value (empty when null). */
export function openEntries(box: SecretBox, sealed: string | null | undefined): SecretEntry[] {
  return sealed ? (JSON.parse(box.open(sealed)) as SecretEntry[]) : [];
}
