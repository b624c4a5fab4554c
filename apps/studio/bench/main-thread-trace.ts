/**
 * The page's main-thread work from a Chromium performance trace (`browser.startTracing` / `stopTracing` of
 * playwright-core): every top-level task (`RunTask`) of the renderer's main thread with its wall time (`dur`) and its
 * thread CPU time (`tdur`). CPU time is what the page itself spent, so it holds up on a loaded machine where wall
 * times stretch with the other processes' work.
 */
/** Main-thread figures of one traced stretch. */
export interface MainThreadStat {
  /** Top-level tasks on the renderer main thread. */
  tasks: number;
  /** Sum of their CPU time. */
  cpu_ms: number;
  /** Longest task by wall time, and its CPU time. */
  longest_task_ms: number;
  longest_task_cpu_ms: number;
  /** Largest CPU time of one task (the longest frame's work, load-independent). */
  max_task_cpu_ms: number;
  /** Tasks with more than 50 ms of CPU. */
  tasks_over_50_cpu: number;
}

/** Trace categories that carry `RunTask` with thread times. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Figures of the busiest renderer main thread (`CrRendererMain`) of a trace. */
export function mainThreadStats(trace: Buffer | string): MainThreadStat {
  const parsed = JSON.parse(String(trace)) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask') continue;
    const k = `${e.pid}:${e.tid}`;
    if (!mains.has(k)) continue;
    const list = byThread.get(k) ?? [];
    list.push(e);
    byThread.set(k, list);
  }
  const cpuOf = (list: TraceEvent[]) => list.reduce((s, e) => s + (e.tdur ?? 0), 0);
  const tasks = [...byThread.values()].sort((a, b) => cpuOf(b) - cpuOf(a))[0] ?? [];
  const longest = tasks.reduce<TraceEvent | null>((m, e) => (!m || (e.dur ?? 0) > (m.dur ?? 0) ? e : m), null);
  const ms = (us: number | undefined): number => Math.round((us ?? 0) / 100) / 10;
  return {
    tasks: tasks.length,
    cpu_ms: ms(cpuOf(tasks)),
    longest_task_ms: ms(longest?.dur),
    longest_task_cpu_ms: ms(longest?.tdur),
    max_task_cpu_ms: ms(tasks.reduce((m, e) => Math.max(m, e.tdur ?? 0), 0)),
    tasks_over_50_cpu: tasks.filter((e) => (e.tdur ?? 0) > 50_000).length,
  };
}
