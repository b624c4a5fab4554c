import type { RateLimit } from '../config.ts';

/** The answer of {@link RateLimiter.take}. */
export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before idle full ones are swept. */
const SWEEP_AT = 10_000;

/**
 * Token buckets keyed by caller (a token's principal, or a client IP): each holds up to `burst` requests and refills
 * at `perSecond`. A request takes one; an empty bucket answers how many whole seconds until one is back.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly limit: RateLimit, private readonly now: () => number = () => performance.now()) {}

  take(key: string): RateDecision {
    const t = this.now();
    const { perSecond, burst } = this.limit;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(t);
      b = { tokens: burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
  }

  /** Forgets buckets that have refilled completely (they behave exactly like new ones). */
  private sweep(t: number): void {
    const { perSecond, burst } = this.limit;
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 1000) * perSecond >= burst) this.buckets.delete(k);
  }
}
