import { EXECUTOR_RESULT_PREFIX, EXECUTOR_STARTED_MARKER, createAjv, executorResultSchema, type ExecutorResultLine } from '@llmctl/contracts';

const ajv = createAjv({ strict: false });
const validate = ajv.compile(executorResultSchema);

/** The one result line of an executor, or why the output does not contain exactly one valid one. */
export function parseExecutorOutput(log: string): { ok: true; line: ExecutorResultLine } | { ok: false; reason: string } {
  const lines = log.split(/\r?\n/);
  const started = lines.findIndex((l) => l.trim() === EXECUTOR_STARTED_MARKER);
  if (started < 0) return { ok: false, reason: `no ${EXECUTOR_STARTED_MARKER} marker` };
  const results = lines.filter((l) => l.startsWith(EXECUTOR_RESULT_PREFIX));
  if (results.length !== 1) return { ok: false, reason: `${results.length} result lines (exactly one expected)` };
  let value: unknown;
  try {
    value = JSON.parse(results[0]!.slice(EXECUTOR_RESULT_PREFIX.length));
  } catch (err) {
    return { ok: false, reason: `the result line is not JSON: ${(err as Error).message}` };
  }
  if (!validate(value)) return { ok: false, reason: `the result does not match the contract: ${ajv.errorsText(validate.errors)}` };
  return { ok: true, line: value as ExecutorResultLine };
}

/** Formats the result line. */
export function formatResultLine(r: ExecutorResultLine): string {
  return `${EXECUTOR_RESULT_PREFIX}${JSON.stringify(r)}`;
}

/** True when `r` matches the result contract. */
export function isValidResult(r: unknown): boolean {
  return validate(r) === true;
}

/**
 * Prefix of the token lines an executor prints before its result line: `LLMCTL_EXECUTOR_TOKEN={"s":<n>,"t":"<text>"}`
 * (streamed model text; the backend follows the pod log and emits them as `flowchart:node:token`).
 */
export const EXECUTOR_TOKEN_PREFIX = 'LLMCTL_EXECUTOR_TOKEN=';

/** A token line. */
export function formatTokenLine(seq: number, text: string): string {
  return `${EXECUTOR_TOKEN_PREFIX}${JSON.stringify({ s: seq, t: text })}`;
}
