/**
 * Known defect: the harness logged "NaN runs/s" for an engine its concurrency section skipped (Restate without a
 * loopback-only network namespace: every figure NaN). The line now says `skipped: <reason>`; a measured engine keeps
 * its figures.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { restateConcurrencyTask } from '../src/restate-driver.ts';
import { concurrencyLine, type ConcurrencyResult } from '../src/sections/concurrency.ts';
import { summarize } from '../src/stats.ts';

const saved = process.env.LLMCTL_BENCH_UNSHARE;
before(() => {
  process.env.LLMCTL_BENCH_UNSHARE = '/nonexistent/unshare';
});
after(() => {
  if (saved === undefined) delete process.env.LLMCTL_BENCH_UNSHARE;
  else process.env.LLMCTL_BENCH_UNSHARE = saved;
});

it('a skipped engine\'s concurrency line gives the reason, and no NaN', async () => {
  const r = await restateConcurrencyTask(4, 1, false);
  assert.ok(r.skipped);
  const line = concurrencyLine(r);
  assert.doesNotMatch(line, /NaN/);
  assert.match(line, /^ {2}restate +skipped: cannot run `unshare --net`/);
  assert.doesNotMatch(line, /skipped: skipped:/);
});

it('a measured engine\'s line keeps runs/s, p99 and RSS', () => {
  const s = summarize([100, 200]);
  const r: ConcurrencyResult = {
    engine: 'dbos', runs: 10, batches: 2, batchMs: s, runsPerSecond: summarize([50, 100]), latencyMs: s, latencyP99: 12.4,
    baselineRssMb: 80, peakRssMb: 120.2, maxRssMb: 121, peakHeapMb: 40, retainedHeapMb: 30, isolated: false,
  };
  assert.equal(concurrencyLine(r), `  ${'dbos'.padEnd(20)} ${summarize([50, 100]).median.toFixed(0)} runs/s, p99 12 ms, peak RSS 120 MB (baseline 80 MB)`);
});
