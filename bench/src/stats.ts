/** Small statistics helpers: every figure of the report is min / median / max over repetitions. */

/** min / median / max of a sample (plus how many values it holds). */
export interface Summary {
  min: number;
  median: number;
  max: number;
  n: number;
}

/** The p-th percentile (0–100, nearest rank on the sorted sample); NaN for an empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** min / median / max of `values` (the median of an even sample is the mean of the two middle values). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN, n: 0 };
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]!, n: s.length };
}

/** Applies `f` to each of min / median / max (e.g. total ms → ms per node). */
export function mapSummary(s: Summary, f: (v: number) => number): Summary {
  return { min: f(s.min), median: f(s.median), max: f(s.max), n: s.n };
}

/** For a figure where lower is better expressed as a rate (runs/s): the summary of 1/x keeps min ≤ median ≤ max. */
export function invertSummary(s: Summary, f: (v: number) => number): Summary {
  return { min: f(s.max), median: f(s.median), max: f(s.min), n: s.n };
}

/** High-resolution milliseconds since an arbitrary origin. */
export function nowMs(): number {
  return performance.now();
}

/** Wall-clock time in epoch milliseconds with sub-millisecond resolution. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Runs `fn` `reps` times after `warmup` untimed runs and returns the durations (ms) of the timed ones. */
export async function repeat(reps: number, warmup: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = nowMs();
    await fn();
    out.push(nowMs() - t0);
  }
  return out;
}
