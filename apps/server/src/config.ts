import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlmctlError } from '@llmctl/contracts';
import { parseAllowedBaseUrls } from '@llmctl/providers';

/** Server configuration (environment variables, overridden by CLI flags). */
export interface ServerConfig {
  /** Interface to listen on (LLMCTL_HOST, default 127.0.0.1). */
  host: string;
  /** Port (LLMCTL_PORT, default 8080; 0 picks a free one). */
  port: number;
  /** Data directory of the embedded database (LLMCTL_DATA_DIR, default `.llmctl` in the working directory). */
  dataDir: string;
  /** External PostgreSQL (DATABASE_URL); unset means the embedded one. */
  databaseUrl?: string;
  /** Request body limit in bytes (LLMCTL_BODY_LIMIT: bytes or `512kb` / `1mb`; default 1 MiB). */
  bodyLimit: number;
  /** pino level (LLMCTL_LOG_LEVEL, default info; `silent` turns logs off). */
  logLevel: string;
  /** How logs are written (LLMCTL_LOG_FORMAT or `serve --log-format`: `json`, default, or `pretty` = one human line). */
  logFormat?: 'json' | 'pretty';
  /** Built studio to serve at `/` (LLMCTL_STUDIO_DIST, default apps/studio/dist). */
  studioDist: string;
  /** Seed the sample flowcharts into an empty database on `serve` (LLMCTL_SEED_SAMPLES, default true). */
  seedSamples: boolean;
  /** Version reported by /api/health. */
  version: string;
  /**
   * Bearer tokens (LLMCTL_API_TOKENS, comma-separated, and `serve --token`; each at least 16 characters). Any token
   * turns auth on: every route but `GET /api/health` and the studio's static pages needs `Authorization: Bearer`.
   * Only their SHA-256 hashes are kept by the auth layer.
   */
  apiTokens?: string[];
  /**
   * Token-bucket rate limit per token (per client IP when the API is open): LLMCTL_RATE_LIMIT `<per second>[,<burst>]`
   * or `off`. Unset: 50/s with a burst of 100 when tokens are configured, off when the API is open.
   */
  rateLimit?: RateLimit | null;
  /**
   * Base URLs that may receive stored provider credentials besides each provider's own endpoint (LLMCTL_ALLOWED_BASE_URLS,
   * comma-separated hosts, `host:port`, URL prefixes and CIDRs, e.g. `127.0.0.1,10.0.0.0/8,https://vllm.internal:8000`).
   */
  allowedBaseUrls?: string[];
  /** Least number of events between two snapshots of a run's folded state (LLMCTL_SNAPSHOT_EVERY; default 500, 0 = off). */
  snapshotEvery?: number;
}

function parseSnapshotEvery(v: string): number {
  if (!/^\d{1,7}$/.test(v.trim())) throw new LlmctlError('validation_failed', `LLMCTL_SNAPSHOT_EVERY must be a whole number of events (0 turns snapshots off), got "${v}".`);
  return Number(v.trim());
}

/** A token-bucket rate limit. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** apps/studio/dist in a checkout (source or compiled); `assets/studio` beside the bundle in a package or image. */
const DEFAULT_STUDIO_DIST = [new URL('./assets/studio/', import.meta.url), new URL('../../studio/dist/', import.meta.url)]
  .map((u) => fileURLToPath(u)).find((d) => existsSync(d)) ?? fileURLToPath(new URL('../../studio/dist/', import.meta.url));

function invalid(name: string, value: string, expected: string): LlmctlError {
  return new LlmctlError('validation_failed', `${name}=${JSON.stringify(value)} is not valid: expected ${expected}.`, {
    errors: [{ path: name, message: `expected ${expected}` }],
  });
}

/** Parses `1048576`, `512kb`, `1mb` (binary units) to bytes. */
export function parseByteSize(name: string, value: string): number {
  const m = /^\s*(\d+)\s*(b|kb|kib|k|mb|mib|m)?\s*$/i.exec(value);
  if (!m) throw invalid(name, value, 'a size in bytes such as 1048576, 512kb or 2mb');
  const unit = (m[2] ?? 'b').toLowerCase();
  const n = Number(m[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1);
  if (n < 1024 || n > 1024 * 1024 * 1024) throw invalid(name, value, 'a size from 1kb to 1024mb');
  return n;
}

/** Parses a TCP port (0–65535). */
export function parsePort(name: string, value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw invalid(name, value, 'a port number from 0 to 65535');
  return Number(value);
}

/** `json` or `pretty` (the log line format). */
export function parseLogFormat(name: string, value: string): 'json' | 'pretty' {
  if (value !== 'json' && value !== 'pretty') throw invalid(name, value, 'json or pretty');
  return value;
}

function parseBool(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw invalid(name, value, 'true or false');
}

/** Parses a comma-separated token list (blank entries dropped); a token shorter than 16 characters is refused. */
export function parseTokens(name: string, value: string): string[] {
  const tokens = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const weak = tokens.find((t) => t.length < 16 || /\s/.test(t));
  if (weak !== undefined) throw invalid(name, `${weak.slice(0, 3)}…`, 'tokens of at least 16 characters without spaces');
  return tokens;
}

/** Parses `20`, `20,40` (requests per second, burst; burst defaults to twice the rate) or `off` / `0`. */
export function parseRateLimit(name: string, value: string): RateLimit | null {
  if (/^\s*(off|0)\s*$/i.test(value)) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:,\s*(\d+)\s*)?$/.exec(value);
  const perSecond = m ? Number(m[1]) : NaN;
  const burst = m?.[2] !== undefined ? Number(m[2]) : Math.max(1, Math.ceil(perSecond * 2));
  if (!m || !(perSecond > 0) || perSecond > 1_000_000 || burst < 1 || burst > 10_000_000) {
    throw invalid(name, value, 'requests per second and an optional burst, such as 20 or 20,40 (or off)');
  }
  return { perSecond, burst };
}

/** Builds the configuration from `env` (default `process.env`), then applies `overrides`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const get = (k: string) => (env[k] !== undefined && env[k] !== '' ? env[k] : undefined);
  const base: ServerConfig = {
    host: get('LLMCTL_HOST') ?? '127.0.0.1',
    port: get('LLMCTL_PORT') ? parsePort('LLMCTL_PORT', get('LLMCTL_PORT')!) : 8080,
    dataDir: resolve(get('LLMCTL_DATA_DIR') ?? '.llmctl'),
    databaseUrl: get('DATABASE_URL'),
    bodyLimit: get('LLMCTL_BODY_LIMIT') ? parseByteSize('LLMCTL_BODY_LIMIT', get('LLMCTL_BODY_LIMIT')!) : DEFAULT_BODY_LIMIT,
    logLevel: get('LLMCTL_LOG_LEVEL') ?? 'info',
    logFormat: get('LLMCTL_LOG_FORMAT') ? parseLogFormat('LLMCTL_LOG_FORMAT', get('LLMCTL_LOG_FORMAT')!) : 'json',
    studioDist: resolve(get('LLMCTL_STUDIO_DIST') ?? DEFAULT_STUDIO_DIST),
    seedSamples: get('LLMCTL_SEED_SAMPLES') ? parseBool('LLMCTL_SEED_SAMPLES', get('LLMCTL_SEED_SAMPLES')!) : true,
    version: '0.1.0',
    ...(get('LLMCTL_API_TOKENS') ? { apiTokens: parseTokens('LLMCTL_API_TOKENS', get('LLMCTL_API_TOKENS')!) } : {}),
    ...(get('LLMCTL_RATE_LIMIT') ? { rateLimit: parseRateLimit('LLMCTL_RATE_LIMIT', get('LLMCTL_RATE_LIMIT')!) } : {}),
    ...(get('LLMCTL_SNAPSHOT_EVERY') ? { snapshotEvery: parseSnapshotEvery(get('LLMCTL_SNAPSHOT_EVERY')!) } : {}),
    ...(get('LLMCTL_ALLOWED_BASE_URLS') ? { allowedBaseUrls: parseAllowedBaseUrls(get('LLMCTL_ALLOWED_BASE_URLS')!).entries.slice() } : {}),
  };
  const merged = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  return { ...merged, dataDir: resolve(merged.dataDir) };
}
