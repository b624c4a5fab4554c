/**
 * Group commit, measured (issue 17): N concurrent 3-node runs (start → scripted task → end) in-process on the
 * composition `llmctl serve` uses, with the run store's group commit on (1 or 2 statements in flight) and off (every
 * commit its own statement, as many in parallel as the pool allows — the behaviour before group commit). Settings are
 * interleaved batch by batch in ONE process on ONE PostgreSQL (fsync on, like `llmctl serve`), so the ratios hold on a
 * loaded machine even when the absolute figures do not.
 *
 *   node --import tsx bench/src/group-commit-bench.ts [--runs 200] [--rounds 3] [--quick] [--database-url URL] [--only 3,2]
 */
import { openCluster } from './cluster.ts';
import { LlmctlDriver } from './llmctl-driver.ts';
import { llmctlDocument } from './llmctl-graphs.ts';
import { epochMs, summarize } from './stats.ts';
import type { GroupCommitOptions } from '@llmctl/store';

const POOL_MAX = 10;
/**
 * `createdInCommit` false: every run's row is INSERTed on its own before its first commit; `releasedInCommit` false:
 * the lease of a finished run is released by a statement of its own (both: before session 4).
 */
const ALL_SETTINGS: { name: string; o: GroupCommitOptions; createdInCommit?: boolean; releasedInCommit?: boolean }[] = [
  { name: 'off (one statement per commit, up to 10 in parallel)', o: { maxBatch: 1, maxInFlight: POOL_MAX } },
  { name: 'group commit, 1 statement in flight', o: { maxBatch: 100, maxInFlight: 1 } },
  { name: 'group commit, 2 statements in flight (default)', o: { maxBatch: 100, maxInFlight: 2 } },
  { name: 'group commit (default), run row INSERTed before its first commit', o: { maxBatch: 100, maxInFlight: 2 }, createdInCommit: false },
  { name: 'group commit (default), run INSERT before its first commit, lease released by its own statement', o: { maxBatch: 100, maxInFlight: 2 }, createdInCommit: false, releasedInCommit: false },
];
// --only 0,2: a subset of the settings (by index); the first one listed is the reference of the ratios
const SETTINGS = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]!.split(',').map((i) => ALL_SETTINGS[Number(i)]!)
  : ALL_SETTINGS;

interface Sample {
  runsPerS: number;
  latencyMedianMs: number;
  commits: number;
  transactions: number;
  nodes: number;
  /** Median of sequential runs (one at a time: every commit is a lone commit). */
  sequentialMs: number;
  /** Statements the runtime's pool ran (census), all kinds. */
  statements: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const runs = Number(arg('--runs', quick ? '40' : '200'));
  const rounds = Number(arg('--rounds', quick ? '1' : '3'));
  const sequentialRuns = quick ? 5 : 20;
  const url = process.argv.includes('--database-url') ? arg('--database-url', '') : undefined;
  const cluster = await openCluster({ ...(url ? { adminUrl: url } : {}), fast: false });
  const db = await cluster.database('llmctl_bench_gc');
  const d = await LlmctlDriver.open(db.url, { poolMax: POOL_MAX });
  try {
    const id = await d.save(llmctlDocument({ kind: 'flow3' }, 'task'));
    for (let i = 0; i < 5; i++) await d.runOk(id);
    const samples = new Map<string, Sample[]>(SETTINGS.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round++) {
      // The order rotates per round, so no setting always runs first (or right after another).
      for (const s of [...SETTINGS.slice(round % SETTINGS.length), ...SETTINGS.slice(0, round % SETTINGS.length)]) {
        d.store.configureGroupCommit(s.o);
        (d.store as { createsRunInCommit: boolean }).createsRunInCommit = s.createdInCommit ?? true;
        d.store.releasesLeaseOnTerminalCommit = s.releasedInCommit ?? true;
        const c0 = d.store.commitStats();
        const stopCensus = d.startCensus();
        const t0 = epochMs();
        const outcomes = await Promise.all(Array.from({ length: runs }, () => d.runOk(id)));
        const wall = epochMs() - t0;
        const sequential: number[] = [];
        for (let i = 0; i < sequentialRuns; i++) sequential.push((await d.runOk(id)).ms);
        const statements = stopCensus().reduce((a, r) => a + r.count, 0);
        const c1 = d.store.commitStats();
        samples.get(s.name)!.push({
          runsPerS: (runs * 1000) / wall, latencyMedianMs: summarize(outcomes.map((o) => o.ms)).median,
          commits: c1.commits - c0.commits, transactions: c1.transactions - c0.transactions, nodes: (runs + sequentialRuns) * 3,
          sequentialMs: summarize(sequential).median, statements,
        });
      }
    }
    console.log(`# Group commit: ${runs} concurrent 3-node runs (start → scripted task → end), ${rounds} interleaved round(s), pool ${POOL_MAX}, fsync ${cluster.settings.fsync}, synchronous_commit ${cluster.settings.synchronous_commit}`);
    console.log('| setting | runs/s (median of rounds) | ratio to the first setting | run latency median ms | sequential 3-node run ms (lone commits) | run commits per node | commit statements per node | all statements per node (census; each its own transaction) |');
    console.log('|---|---|---|---|---|---|---|---|');
    const med = (xs: number[]): number => summarize(xs).median;
    const off = med(samples.get(SETTINGS[0]!.name)!.map((x) => x.runsPerS));
    for (const s of SETTINGS) {
      const xs = samples.get(s.name)!;
      const rps = med(xs.map((x) => x.runsPerS));
      const per = (k: 'commits' | 'transactions' | 'statements'): string => (xs.reduce((a, x) => a + x[k], 0) / xs.reduce((a, x) => a + x.nodes, 0)).toFixed(2);
      console.log(`| ${s.name} | ${rps.toFixed(0)} (${xs.map((x) => x.runsPerS.toFixed(0)).join(', ')}) | ${(rps / off).toFixed(2)} | ${med(xs.map((x) => x.latencyMedianMs)).toFixed(0)} | ${med(xs.map((x) => x.sequentialMs)).toFixed(1)} | ${per('commits')} | ${per('transactions')} | ${per('statements')} |`);
    }
    console.log(`\nlargest batch: ${d.store.commitStats().largest_batch} runs in one statement; errors logged: ${d.errors.length}`);
  } finally {
    await d.close();
    await cluster.stop();
  }
}

await main();
