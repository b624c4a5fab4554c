/**
 * The Restate comparison on its own, a subset of the full run written to bench/restate-report.md and
 * bench/charts/restate/ (raw JSON in bench/results/restate/; the full report bench/report.md is not touched): chains of 10 / 100 / 1,000 steps, fan-outs 1→100→1 and 1→1,000→1, sequential 3-step
 * latency and 200 concurrent 3-step runs, on llmctl, DBOS, the raw-commit floor, LangGraph and Restate, repetitions
 * interleaved. `--headline` drops the 1,000-node workloads (loaded machine); `--render FILE` re-renders a saved run.
 *   node --import tsx bench/src/restate-compare.ts [--headline | --render bench/results/restate/report.json]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fullOptions, type BenchOptions } from './options.ts';
import { runBench, type BenchReport } from './harness.ts';
import { writeReport } from './run-all.ts';
import type { Shape } from './workloads.ts';

/** The shared renderer describes `npm run bench`: say what produced this report, and where Restate ran. */
export async function retitle(file: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  await writeFile(file, text
    .replace('Produced by `npm run bench` (bench/src/run-all.ts).', 'Produced by `node --import tsx bench/src/restate-compare.ts` (the Restate comparison, a subset of `npm run bench`).')
    .replace('All engines ran in the same process against the same PostgreSQL, repetitions interleaved.', 'All engines but Restate ran in the same process against the same PostgreSQL; Restate ran in a child process in a loopback-only network namespace, on its own embedded storage; repetitions interleaved.'));
}

async function main(): Promise<number> {
  const headline = process.argv.includes('--headline');
  const shapes: Shape[] = headline
    ? [{ kind: 'chain', nodes: 10 }, { kind: 'chain', nodes: 100 }, { kind: 'fanout', width: 100 }]
    : [{ kind: 'chain', nodes: 10 }, { kind: 'chain', nodes: 100 }, { kind: 'chain', nodes: 1000 }, { kind: 'fanout', width: 100 }, { kind: 'fanout', width: 1000 }];
  const options: BenchOptions = {
    ...fullOptions(), headline,
    engines: ['llmctl-task', 'llmctl-pass', 'langgraph-memory', 'langgraph-pg-async', 'dbos', 'raw-commit', 'restate'],
    shapes, repsSmall: headline ? 3 : 5, latencyRuns: headline ? 20 : 50, concurrentBatches: headline ? 1 : 3,
    concurrencyEngines: ['llmctl-task', 'dbos', 'raw-commit', 'restate'],
    skip: ['engine', 'transport', 'footprint', 'profile', 'startup', 'server-load'],
  };
  const bench = fileURLToPath(new URL('..', import.meta.url));
  const resultsDir = join(bench, 'results', 'restate');
  // `--render FILE`: re-render a saved report.json of this comparison with the current report code (no measuring).
  const saved = process.argv.indexOf('--render');
  const report = saved > 0 && process.argv[saved + 1]
    ? (JSON.parse(await readFile(process.argv[saved + 1]!, 'utf8')) as BenchReport)
    : await runBench(options, { resultsDir, log: (m) => console.log(m) });
  const w = await writeReport(report, report.options, { resultsDir, reportFile: join(bench, 'restate-report.md'), chartsDir: join(bench, 'charts', 'restate') });
  await retitle(w.markdownFile);
  console.log(`\nreport: ${w.markdownFile}`);
  for (const e of w.report.errors) console.error(`error: ${e.split('\n')[0]}`);
  return w.report.errors.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
