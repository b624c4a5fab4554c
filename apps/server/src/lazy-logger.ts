/**
 * A request's logger made only when a line is written at an enabled level (issue 17, "The HTTP path"): Fastify makes a
 * child logger for every request (pino `child`: bindings serialised, redaction set up), though most requests of a busy
 * server log nothing above the request line, which `request-log.ts` writes through the parent with the same fields.
 * The child is created on first use with exactly the bindings Fastify asked for, so every line a request writes carries
 * `request_id` and `correlation_id` as before.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogFn = FastifyBaseLogger['info'];

/** A child of `parent`, made by `make` on the first call at a level `parent` has enabled. */
export class LazyChildLogger {
  private real: FastifyBaseLogger | null = null;

  constructor(private readonly parent: Logger, private readonly make: () => FastifyBaseLogger) {}

  /** The child logger (made now when not yet). */
  get child(): FastifyBaseLogger['child'] {
    return (bindings, options) => this.logger().child(bindings, options);
  }

  get level(): string {
    return this.real?.level ?? this.parent.level;
  }

  set level(value: string) {
    this.logger().level = value;
  }

  readonly fatal = this.method('fatal');
  readonly error = this.method('error');
  readonly warn = this.method('warn');
  readonly info = this.method('info');
  readonly debug = this.method('debug');
  readonly trace = this.method('trace');
  readonly silent: LogFn = () => undefined;

  private logger(): FastifyBaseLogger {
    this.real ??= this.make();
    return this.real;
  }

  private method(level: Level): LogFn {
    return ((...args: Parameters<LogFn>) => {
      if (this.real === null && !this.parent.isLevelEnabled(level)) return;
      (this.logger()[level] as (...a: unknown[]) => void)(...args);
    }) as LogFn;
  }
}
