import { classifyStoreError } from './storable.ts';

/** Options of {@link retryWhileUnreachable}. */
export interface StoreRetryOptions {
  /** Give up (rethrow the last error) after this long (default 10 minutes). */
  maxMs?: number;
  /** Stops retrying (the last error is rethrown). */
  signal?: AbortSignal;
  /** Told once, at the first failure. */
  onUnreachable?: (err: unknown) => void;
}

/**
 * Runs `fn`, and while it fails because the store is unreachable (see `classifyStoreError`: connection refused,
 * reset, terminated, PostgreSQL shutting down) runs it again with backoff (100 ms doubling to 5 s). Any other error
 * is rethrown at once. For store writes that record work already done (a model call that was paid for), so a short
 * database outage does not turn finished work into a failed attempt.
 */
export async function retryWhileUnreachable<T>(fn: () => Promise<T>, o: StoreRetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (o.maxMs ?? 600_000);
  for (let n = 0; ; n++) {
    try {
      return await fn();
    } catch (err) {
      if (classifyStoreError(err) !== 'transient' || o.signal?.aborted || Date.now() >= deadline) throw err;
      if (n === 0) o.onUnreachable?.(err);
      const ms = Math.min(5000, 100 * 2 ** Math.min(n, 6));
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done(): void {
          clearTimeout(t);
          o.signal?.removeEventListener('abort', done);
          resolve();
        }
        o.signal?.addEventListener('abort', done);
      });
    }
  }
}
