import { randomBytes } from 'node:crypto';

/** Crockford base32, lower case (no i, l, o, u): ids stay readable and URL-safe. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Id prefixes used across the system (others may be added: any 1–8 lower-case letters). */
export const ID_PREFIXES = {
  flowchart: 'fc',
  run: 'run',
  nodeRun: 'nr',
  model: 'mdl',
  event: 'evt',
  artifact: 'art',
  request: 'req',
} as const;

const PREFIX_RE = /^[a-z]{1,8}$/;

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i += 1) {
    out = ALPHABET[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time (one `randomBytes` call per 256 ids instead of one per id: it
 * was ~5 % of the runtime's CPU in a 1,000-node fan-out, which creates an id per event and per node run).
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function encodeRandom(length: number): string {
  if (poolAt + length > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[pool[poolAt + i]! & 31]!;
  poolAt += length;
  return out;
}

/**
 * A new prefixed random id such as `fc_01jd3k9x7q…`: the prefix, `_`, then 26 characters (10 encode the creation
 * time in milliseconds, so ids sort by creation; 16 are random, 80 bits).
 */
export function newId(prefix: string): string {
  if (!PREFIX_RE.test(prefix)) throw new Error(`invalid id prefix: ${prefix}`);
  return `${prefix}_${encodeTime(Date.now())}${encodeRandom(16)}`;
}

/**
 * True when `value` is shaped like an id with this prefix (`<prefix>_` then 10 to 40 characters of `[0-9a-z]`).
 * Routes use it to answer malformed ids with 404 without touching the database.
 */
export function isId(prefix: string, value: unknown): value is string {
  if (typeof value !== 'string' || value.length > prefix.length + 41) return false;
  if (!value.startsWith(`${prefix}_`)) return false;
  return /^[0-9a-z]{10,40}$/.test(value.slice(prefix.length + 1));
}
