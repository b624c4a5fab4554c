import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths pino redacts on every line: credentials never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'headers.authorization',
  'authorization', 'api_key', 'apiKey', 'password', 'token',
  '*.authorization', '*.api_key', '*.apiKey', '*.password', '*.token', '*.*.api_key', '*.*.apiKey',
];

/** The server's JSON logger (pino). Request lines carry `request_id` and `correlation_id`. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'llmctl' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
