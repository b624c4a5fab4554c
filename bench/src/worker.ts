/**
 * Child-process entry of the benchmark: runs one task in a fresh process (clean peak RSS, a CPU profile of the
 * workload only) and prints its result as JSON on the last line of stdout.
 * Usage: node --import tsx bench/src/worker.ts '<task JSON>'
 */
import type { ConcurrencyEngine } from './sections/concurrency.ts';
import type { Shape } from './workloads.ts';

/** A task for the worker. */
export type WorkerTask =
  | { kind: 'concurrency'; engine: ConcurrencyEngine; url: string; runs: number; batches: number }
  | { kind: 'engine'; url: string; shapes: Shape[]; reps: number }
  | { kind: 'profile'; url: string; shape: Shape; file: string }
  | { kind: 'empty' };

// Sections are imported on demand: a process measuring memory loads only what its task needs.
async function main(task: WorkerTask): Promise<unknown> {
  switch (task.kind) {
    case 'concurrency':
      return (await import('./sections/concurrency.ts')).concurrencyTask(task.engine, task.url, task.runs, task.batches, true);
    case 'engine':
      return (await import('./sections/engine-bench.ts')).engineBenchTask(task.url, task.shapes, task.reps, true);
    case 'profile':
      return (await import('./sections/profile-task.ts')).profileTask(task.url, task.shape, task.file);
    case 'empty':
      (globalThis as { gc?: () => void }).gc?.();
      return { rssMb: process.memoryUsage().rss / 2 ** 20 };
  }
}

const arg = process.argv[2];
if (!arg) {
  console.error('usage: worker.ts <task JSON>');
  process.exit(2);
}
main(JSON.parse(arg) as WorkerTask).then(
  (result) => {
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
