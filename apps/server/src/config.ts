import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlmctlError } from '@llmctl/contracts';

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
  /** Built studio to serve at `/` (LLMCTL_STUDIO_DIST, default apps/studio/dist). */
  studioDist: string;
  /** Seed the sample flowcharts into an empty database on `serve` (LLMCTL_SEED_SAMPLES, default true). */
  seedSamples: boolean;
  /** Version reported by /api/health. */
  version: string;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_STUDIO_DIST = fileURLToPath(new URL('../../studio/dist/', import.meta.url));

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

function parseBool(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw invalid(name, value, 'true or false');
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
    studioDist: resolve(get('LLMCTL_STUDIO_DIST') ?? DEFAULT_STUDIO_DIST),
    seedSamples: get('LLMCTL_SEED_SAMPLES') ? parseBool('LLMCTL_SEED_SAMPLES', get('LLMCTL_SEED_SAMPLES')!) : true,
    version: '0.1.0',
  };
  const merged = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  return { ...merged, dataDir: resolve(merged.dataDir) };
}
