/**
 * One call's cancellation scope: links the caller's signal and the per-call timeout into one signal handed to the
 * SDK, and turns whatever the SDK throws afterwards into the right `LlmctlError`.
 */
import { LlmctlError } from '@llmctl/contracts';
import type { CallOptions } from './types.ts';
import { mapProviderError } from './error-mapping.ts';

/** The error an aborted call rejects with: the signal's reason when it is an `LlmctlError`, else `interrupted`. */
export function abortError(reason: unknown): LlmctlError {
  if (reason instanceof LlmctlError) return reason;
  const message = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new LlmctlError('interrupted', `The model call was aborted: ${message}`, { reason: message });
}

/**
 * Cancellation scope of one call; always `dispose()` it (in `finally`). Its own controller (linked to the caller's
 * signal) is made when a timeout needs it or when `signal` is first read, not for a call that never reads it (an
 * instant scripted answer): the signal a reader gets aborts exactly as before.
 */
export class CallScope {
  private controller: AbortController | undefined;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private onCallerAbort: (() => void) | undefined;
  private timedOut = false;
  private disposed = false;
  private readonly timeoutMs: number | undefined;

  constructor(opts: CallOptions | undefined) {
    this.callerSignal = opts?.signal;
    this.timeoutMs = opts?.timeoutMs;
    if (opts?.timeoutMs !== undefined && opts.timeoutMs > 0 && !this.callerSignal?.aborted) {
      const controller = this.link();
      this.timer = setTimeout(() => {
        this.timedOut = true;
        controller.abort(this.timeoutError());
      }, opts.timeoutMs);
    }
  }

  /** The call's signal: aborted when the caller's signal aborts (with its reason) or the timeout fires. */
  get signal(): AbortSignal {
    return (this.controller ?? this.link()).signal;
  }

  private link(): AbortController {
    const controller = new AbortController();
    this.controller = controller;
    const caller = this.callerSignal;
    if (caller) {
      if (caller.aborted) controller.abort(caller.reason);
      else if (!this.disposed) {
        this.onCallerAbort = () => controller.abort(caller.reason);
        caller.addEventListener('abort', this.onCallerAbort, { once: true });
      }
    }
    return controller;
  }

  /** The error for the current abort state, or undefined while not aborted. */
  abortState(): LlmctlError | undefined {
    if (this.callerSignal?.aborted) return abortError(this.callerSignal.reason);
    if (this.timedOut) return this.timeoutError();
    if (this.controller?.signal.aborted) return abortError(this.controller.signal.reason);
    return undefined;
  }

  /** Throws when the call was aborted or timed out (SDK streams end silently on abort, so check after loops). */
  throwIfAborted(): void {
    const err = this.abortState();
    if (err) throw err;
  }

  /** Maps anything thrown during the call: abort and timeout first, then the provider error mapping. */
  mapError(err: unknown): LlmctlError {
    return this.abortState() ?? mapProviderError(err);
  }

  /** Removes the listener and the timer. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onCallerAbort) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private timeoutError(): LlmctlError {
    return new LlmctlError('provider_timeout', `The model call did not finish within ${this.timeoutMs} ms`, {
      timeout_ms: this.timeoutMs,
    });
  }
}

/** Runs `fn` inside a call scope and maps every failure to an `LlmctlError`. */
export async function withCallScope<T>(opts: CallOptions | undefined, fn: (scope: CallScope) => Promise<T>): Promise<T> {
  const scope = new CallScope(opts);
  try {
    scope.throwIfAborted();
    const result = await fn(scope);
    scope.throwIfAborted();
    return result;
  } catch (err) {
    throw scope.mapError(err);
  } finally {
    scope.dispose();
  }
}

/** Resolves after `ms`, or rejects with the abort error as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `onToken` for a non-empty delta. */
export function emitToken(opts: CallOptions | undefined, delta: string | null | undefined): void {
  if (delta && opts?.onToken) opts.onToken(delta);
}
