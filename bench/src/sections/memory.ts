/** Samples this process's resident set size while a workload runs. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private peak = 0;
  private heapPeak = 0;

  start(everyMs = 20): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const m = process.memoryUsage();
    this.peak = Math.max(this.peak, m.rss);
    this.heapPeak = Math.max(this.heapPeak, m.heapUsed);
  }

  /** Stops sampling; peak RSS and heap (bytes) seen while it ran. */
  stop(): { rss: number; heap: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return { rss: this.peak, heap: this.heapPeak };
  }
}

export const MB = 1024 * 1024;

/** Heap still in use after a full GC (MB; NaN when the process was not started with --expose-gc). */
export function retainedHeapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  gc();
  return process.memoryUsage().heapUsed / MB;
}
