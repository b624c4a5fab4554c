/** Error helpers shared by the framework and the domains. */
import { LlmctlError } from '@llmctl/contracts';

/** Turns anything thrown into an `LlmctlError`; unknown errors become non-retryable `tool_failed`. */
export function toLlmctlError(err: unknown): LlmctlError {
  if (err instanceof LlmctlError) return err;
  if (err instanceof Error) {
    const details: Record<string, unknown> = { name: err.name };
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string') details.errno_code = code;
    return new LlmctlError('tool_failed', err.message, details);
  }
  return new LlmctlError('tool_failed', String(err));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
