/**
 * The Restate comparison on its own, a subset of the full run written to bench/restate-report.md and
 * bench/charts/restate/ (raw JSON in bench/results/restate/; the full report bench/report.md is not touched): chains of 10 / 100 / 1,000 steps, fan-outs 1→100→1 and 1→1,000→1, sequential 3-step
 * latency and 200 concurrent 3-step runs, on llmctl, DBOS, the raw-commit floor, LangGraph and Restate, repetitions
 * interleaved. `--headline` drops the 1,000-node workloads (loaded machine).
 *   node --import tsx bench/src/restate-compare.ts [--headline]
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fullOptions, type BenchOptions } from './options.ts';
import { runBench } from './harness.ts';
import { writeReport } from './run-all.ts';
import type { Shape } from './workloads.ts';

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
const report = await runBench(options, { resultsDir, log: (m) => console.log(m) });
const w = await writeReport(report, options, { resultsDir, reportFile: join(bench, 'restate-report.md'), chartsDir: join(bench, 'charts', 'restate') });
console.log(`\nreport: ${w.markdownFile}`);
for (const e of w.report.errors) console.error(`error: ${e.split('\n')[0]}`);
process.exit(w.report.errors.length > 0 ? 1 : 0);
