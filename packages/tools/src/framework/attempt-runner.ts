/** Runs a tool's attempts: per-attempt timeout with abort, retries of retryable errors with doubling backoff. */
import type { Warning } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import { sleep, toLlmctlError } from '../shared/errors.ts';
import type { Tool } from './define-tool.ts';
import { violationsOf } from './json-schema.ts';
import type { ArtifactDraft, ToolRunContext } from './types.ts';

/** The fields of a run context that stay the same across attempts. */
export type AttemptBase = Omit<ToolRunContext, 'signal' | 'attempt' | 'emitArtifact' | 'warn'>;

/** What the attempts came to. */
export type AttemptsOutcome =
  | { ok: true; output: unknown; artifacts: ArtifactDraft[]; warnings: Warning[]; attempts: number }
  | { ok: false; error: LlmctlError; attempts: number };

function canceledError(signal: AbortSignal): LlmctlError {
  const reason: unknown = signal.reason;
  if (reason instanceof LlmctlError) return reason;
  return new LlmctlError('canceled', 'The tool call was canceled', {
    reason: reason instanceof Error ? reason.message : reason === undefined ? null : String(reason),
  });
}

async function runOneAttempt(
  tool: Tool,
  input: unknown,
  base: AttemptBase,
  attempt: number,
  parent: AbortSignal | undefined,
): Promise<{ output: unknown; artifacts: ArtifactDraft[]; warnings: Warning[] }> {
  const controller = new AbortController();
  const artifacts: ArtifactDraft[] = [];
  const warnings: Warning[] = [];
  let timer: NodeJS.Timeout | undefined;
  const onParentAbort = (): void => controller.abort(canceledError(parent!));
  parent?.addEventListener('abort', onParentAbort, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    timer = setTimeout(() => {
      controller.abort(
        new LlmctlError('tool_timeout', `Tool "${tool.name}" ran longer than ${tool.timeout_ms} ms`, {
          tool: tool.name,
          timeout_ms: tool.timeout_ms,
          attempt,
        }),
      );
    }, tool.timeout_ms);
  });
  stopped.catch(() => undefined); // rejects when the attempt is closed; only the race observes it
  const ctx: ToolRunContext = {
    ...base,
    signal: controller.signal,
    attempt,
    emitArtifact: (draft) => void artifacts.push({ ...draft }),
    warn: (w) => void warnings.push({ code: w.code, message: w.message }),
  };
  try {
    const running = Promise.resolve().then(() => tool.run(structuredClone(input), ctx));
    running.catch(() => undefined); // a losing race must not become an unhandled rejection
    const output = await Promise.race([running, stopped]);
    return { output, artifacts, warnings };
  } catch (err) {
    // A tool that rejects with its own abort error after a timeout/cancel reports the abort reason instead.
    if (controller.signal.aborted) throw controller.signal.reason;
    throw err;
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
    if (!controller.signal.aborted) controller.abort(new LlmctlError('canceled', 'The attempt is over'));
  }
}

/**
 * Runs up to `tool.retry.max_attempts` attempts. Only retryable errors are retried; the output of a successful
 * attempt is validated against the output schema (`tool_output_invalid`, never retried). Cancellation stops at once.
 */
export async function runAttempts(
  tool: Tool,
  input: unknown,
  base: AttemptBase,
  signal: AbortSignal | undefined,
): Promise<AttemptsOutcome> {
  const max = tool.retry.max_attempts;
  let attempt = 0;
  for (;;) {
    attempt += 1;
    if (signal?.aborted) return { ok: false, error: canceledError(signal), attempts: attempt - 1 };
    let error: LlmctlError;
    try {
      const done = await runOneAttempt(tool, input, base, attempt, signal);
      if (tool.validateOutput(done.output)) return { ok: true, ...done, attempts: attempt };
      const violations = violationsOf(tool.validateOutput);
      error = new LlmctlError('tool_output_invalid', `Tool "${tool.name}" returned output that does not match its schema`, {
        tool: tool.name,
        errors: violations,
      });
      return { ok: false, error, attempts: attempt };
    } catch (err) {
      error = toLlmctlError(err);
    }
    if (error.code === 'canceled' || !error.retryable || attempt >= max) return { ok: false, error, attempts: attempt };
    try {
      await sleep(tool.retry.backoff_ms * 2 ** (attempt - 1), signal);
    } catch {
      return { ok: false, error: canceledError(signal!), attempts: attempt };
    }
  }
}
