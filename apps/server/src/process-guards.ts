/** Where process-level failures are reported (a pino logger fits; before one exists, stderr). */
export interface GuardLogger {
  error(obj: object, msg: string): void;
  fatal?(obj: object, msg: string): void;
}

const stderrLogger: GuardLogger = {
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'error', msg, ...obj })}\n`),
};

let current: GuardLogger = stderrLogger;
let installed = false;

function describe(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
  return { value: String(err) };
}

/**
 * Process-level handlers of `llmctl serve` and `llmctl worker` (operations.md "Process-level failures"):
 *
 * - `unhandledRejection` is logged with `code: "unhandled_rejection"` and the process **continues**: every durable
 *   change goes through a fenced commit of a run's log, so a promise nobody awaited cannot leave a run
 *   half-written; the actor that owned it recovers from the log.
 * - `uncaughtException` is logged with `code: "uncaught_exception"` and the process **exits with status 70**: the
 *   synchronous state of the process is unknown after a throw escaped to the event loop, and the runs it owned are
 *   recovered from their logs by the next start (or by another server after their leases expire).
 *
 * Calling it again only replaces the logger (e.g. the server's once it exists).
 */
export function installProcessGuards(logger?: GuardLogger): void {
  if (logger) current = logger;
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    current.error({ code: 'unhandled_rejection', err: describe(reason) }, 'unhandled promise rejection (logged; the process continues)');
  });
  process.on('uncaughtException', (err, origin) => {
    const log = current.fatal?.bind(current) ?? current.error.bind(current);
    log({ code: 'uncaught_exception', origin, err: describe(err) }, 'uncaught exception: exiting (runs are recovered from their logs on the next start)');
    process.exitCode = 70;
    // Let the log line reach its destination, then exit even if something keeps the loop alive.
    setTimeout(() => process.exit(70), 100).unref();
  });
}
