import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths pino redacts on every line: credentials never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'headers.authorization',
  'authorization', 'api_key', 'apiKey', 'password', 'token',
  '*.authorization', '*.api_key', '*.apiKey', '*.password', '*.token', '*.*.api_key', '*.*.apiKey',
];

/** How log lines are written: pino's JSON (default), or one human line per entry (`llmctl serve --log-format pretty`). */
export type LogFormat = 'json' | 'pretty';

/** Log formats, for flag and environment checks. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields a pretty line leaves out (the time and level lead the line; the rest is noise on a console). */
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

function short(v: unknown): string {
  if (v && typeof v === 'object' && 'message' in v && typeof (v as { message: unknown }).message === 'string') return (v as { message: string }).message;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /\s/.test(s) && typeof v === 'string' ? JSON.stringify(s) : s;
}

/**
 * One pino JSON line as one human line: `HH:MM:SS.mmm LEVEL message key=value …` (an error shows its message). A line
 * that is not JSON is passed through. Redaction has already happened in pino, so nothing secret is added here.
 */
export function formatPrettyLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof o.time === 'string' ? o.time.slice(11, 23) : new Date(Number(o.time ?? Date.now())).toISOString().slice(11, 23);
  const level = (LEVELS[Number(o.level)] ?? String(o.level)).padEnd(5);
  const extras = Object.entries(o).filter(([k, v]) => !SKIP.has(k) && v !== undefined).map(([k, v]) => `${k}=${short(v)}`);
  return `${[time, level, String(o.msg ?? ''), ...extras].join(' ').replace(/ +$/, '')}\n`;
}

/** A pino destination writing pretty lines to `out` (default stdout). */
export function prettyDestination(out: { write(s: string): unknown } = process.stdout): DestinationStream {
  return { write: (line: string) => void out.write(formatPrettyLine(line)) };
}

/** The server's logger (pino): JSON lines, or pretty ones. Request lines carry `request_id` and `correlation_id`. */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  const options = {
    level,
    base: { service: 'llmctl' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const dest = format === 'pretty' ? prettyDestination(destination ?? process.stdout) : destination;
  return dest ? pino(options, dest) : pino(options);
}
