/**
 * Probe of a run's start and of the commit statement (issue 17), on an embedded PostgreSQL with fsync on:
 *
 * 1. statements per 3-node run (start → scripted task → end) with the run created by its first commit and without
 *    (`PgRunStore.createsRunInCommit` switched per run, census of the runtime's pool);
 * 2. an interleaved A/B of the 3-node run's latency (start call → terminal event), the two settings alternating;
 * 3. server-side execution time and WAL of the statements, from `EXPLAIN (ANALYZE, BUFFERS, WAL)` inside a rolled-back
 *    transaction (median of repetitions): the create commit against the run INSERT + first commit it replaces, and a
 *    mid-chain commit sent as the statement of its shape against the statement with every arm (COMMIT_SQL).
 *
 * 2b. chains of 10 and 100 scripted task nodes, before / after (run INSERT and the statement with every arm against the
 *    run created in its first commit and the statement of each batch's shape), interleaved, ms per node;
 *
 * Usage: node --import tsx bench/src/commit-probe.ts [--pairs 200] [--chain-pairs 15] [--reps 15]
 */
import type pg from 'pg';
import { openCluster } from './cluster.ts';
import { LlmctlDriver } from './llmctl-driver.ts';
import { llmctlDocument } from './llmctl-graphs.ts';
import { COMMIT_SQL } from '../../packages/store/src/commit-statement.ts';

const arg = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const PAIRS = arg('pairs', 200);
const REPS = arg('reps', 41);
const CHAIN_PAIRS = arg('chain-pairs', 15);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

interface Captured { text: string; values: unknown[] }
interface PlanNode { 'Node Type': string; 'WAL Records'?: number; 'WAL Bytes'?: number; Plans?: PlanNode[] }

/** Records the statements the pool sends while `fn` runs. */
async function capture(pool: pg.Pool, fn: () => Promise<unknown>): Promise<Captured[]> {
  const out: Captured[] = [];
  const p = pool as unknown as { query: (...a: unknown[]) => Promise<unknown> };
  const original = p.query;
  p.query = function (this: unknown, ...a: unknown[]) {
    const q = a[0] as string | { text: string; values?: unknown[] };
    out.push(typeof q === 'string' ? { text: q, values: (a[1] as unknown[]) ?? [] } : { text: q.text, values: q.values ?? [] });
    return original.apply(pool, a);
  };
  try {
    await fn();
  } finally {
    delete (p as { query?: unknown }).query;
    if (p.query !== original) p.query = original;
  }
  return out;
}

/**
 * EXPLAIN ANALYZE of `statements` in order inside a transaction that is rolled back. (The state they need is set up
 * and committed before: rows changed by the same transaction would make the runs UPDATE look costlier than it is —
 * foreign-key checks that a row of an earlier transaction skips, no HOT.)
 */
async function explain(c: pg.PoolClient, statements: Captured[]): Promise<{ ms: number; walRecords: number; walBytes: number }> {
  await c.query('BEGIN');
  try {
    let ms = 0;
    let walRecords = 0;
    let walBytes = 0;
    for (const s of statements) {
      const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) ${s.text}`, s.values);
      const plan = (r.rows[0] as { 'QUERY PLAN': [{ 'Execution Time': number; Plan: PlanNode }] })['QUERY PLAN'][0];
      ms += plan['Execution Time'];
      // each data-modifying arm reports its own WAL (the top node only counts what its own subtree wrote)
      const walk = (n: PlanNode): void => {
        if (n['Node Type'] === 'ModifyTable') {
          walRecords += n['WAL Records'] ?? 0;
          walBytes += n['WAL Bytes'] ?? 0;
        }
        for (const k of n.Plans ?? []) walk(k);
      };
      walk(plan.Plan);
    }
    return { ms, walRecords, walBytes };
  } finally {
    await c.query('ROLLBACK');
  }
}

/** Variants A and B explained alternately, REPS times each: medians and the median of the per-pair ratio B / A. */
async function compare(c: pg.PoolClient, label: [string, string], a: Captured[], b: Captured[]): Promise<void> {
  const ra: { ms: number; walRecords: number; walBytes: number }[] = [];
  const rb: { ms: number; walRecords: number; walBytes: number }[] = [];
  for (let i = 0; i < REPS; i++) {
    if (i % 2 === 0) {
      ra.push(await explain(c, a));
      rb.push(await explain(c, b));
    } else {
      rb.push(await explain(c, b));
      ra.push(await explain(c, a));
    }
  }
  const show = (name: string, rs: { ms: number; walRecords: number; walBytes: number }[]): string =>
    `${name}: ${median(rs.map((r) => r.ms)).toFixed(3)} ms executing, ${median(rs.map((r) => r.walRecords))} WAL records, ${median(rs.map((r) => r.walBytes))} WAL bytes`;
  console.log(show(label[0], ra));
  console.log(show(label[1], rb));
  console.log(`  per-pair ratio of execution time: median ${median(rb.map((r, i) => r.ms / ra[i]!.ms)).toFixed(3)} (${REPS} pairs)`);
}

const isCommit = (s: Captured): boolean => s.text.trimStart().startsWith('WITH x AS MATERIALIZED');

const cluster = await openCluster({});
try {
  const db = await cluster.database('commit_probe_');
  const d = await LlmctlDriver.open(db.url);
  const store = d.store as unknown as { createsRunInCommit: boolean; releasesLeaseOnTerminalCommit: boolean };
  /** Before (session 4's start): run INSERT, separate lease release; after: both in the run's commits. */
  const setting = (after: boolean): void => {
    store.createsRunInCommit = after;
    store.releasesLeaseOnTerminalCommit = after;
  };
  try {
    const flow3 = await d.save(llmctlDocument({ kind: 'flow3' }, 'task'));
    const chain = await d.save(llmctlDocument({ kind: 'chain', nodes: 20 }, 'task'));
    for (let i = 0; i < 20; i++) await d.runOk(flow3);

    // 1. statements per 3-node run
    for (const created of [false, true]) {
      setting(created);
      await d.runOk(flow3);
      const stop = d.startCensus();
      for (let i = 0; i < 20; i++) await d.runOk(flow3);
      const rows = stop();
      const n = rows.reduce((a, r) => a + r.count, 0) / 20;
      console.log(`statements per 3-node run, ${created ? 'created in its first commit' : 'INSERT then commits'}: ${n.toFixed(2)}`);
      for (const r of rows) console.log(`  ${(r.count / 20).toFixed(2)}  ${r.statement}`);
    }

    // 2. A/B, interleaved (order alternates per pair)
    const ms: Record<'old' | 'new', number[]> = { old: [], new: [] };
    for (let i = 0; i < PAIRS; i++) {
      for (const which of i % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
        setting(which === 'new');
        ms[which].push((await d.runOk(flow3)).ms);
      }
    }
    for (const k of ['old', 'new'] as const) console.log(`3-node run ${k === 'new' ? 'created in its first commit' : 'INSERT then commits   '}: median ${median(ms[k]).toFixed(2)} ms, p90 ${pct(ms[k], 0.9).toFixed(2)} ms (${PAIRS} runs)`);
    const ratios = ms.new.map((x, i) => x / ms.old[i]!);
    console.log(`  per-pair ratio new/old: median ${median(ratios).toFixed(3)}`);

    // 2b. chains of 10 and 100 task nodes, before (run INSERT, statement with every arm) / after, interleaved
    const chains = new Map([[10, await d.save(llmctlDocument({ kind: 'chain', nodes: 10 }, 'task'))], [100, await d.save(llmctlDocument({ kind: 'chain', nodes: 100 }, 'task'))]]);
    for (const [nodes, fc] of chains) {
      await d.runOk(fc);
      const per: Record<'old' | 'new', number[]> = { old: [], new: [] };
      for (let i = 0; i < CHAIN_PAIRS; i++) {
        for (const which of i % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
          setting(which === 'new');
          d.store.configureGroupCommit({ shapedStatements: which === 'new' });
          per[which].push((await d.runOk(fc)).ms / nodes);
        }
      }
      for (const k of ['old', 'new'] as const) console.log(`chain ${nodes}, ${k === 'new' ? 'after (created in commit, shaped statements)' : 'before (INSERT, statement with every arm)'}: median ${median(per[k]).toFixed(3)} ms/node (${CHAIN_PAIRS} runs)`);
    }
    d.store.configureGroupCommit({ shapedStatements: true });

    // 3. server execution and WAL
    const pool = d.db.pool;
    setting(false);
    const oldRun = await capture(pool, () => d.runOk(flow3));
    setting(true);
    const newRun = await capture(pool, () => d.runOk(flow3));
    const oldStart = [oldRun.find((s) => s.text.includes('INSERT INTO runs'))!, oldRun.find(isCommit)!];
    const newStart = [newRun.find(isCommit)!];
    const runIdOf = (s: Captured): string => (JSON.parse(String(s.values[0])) as { id: string }[])[0]!.id;
    const c = await pool.connect();
    try {
      await c.query('DELETE FROM runs WHERE id = ANY($1)', [[runIdOf(oldStart[1]!), runIdOf(newStart[0]!)]]);
      await compare(c, ['run start, INSERT + first commit', 'run start, created in its first commit'], oldStart, newStart);

      const commits = (await capture(pool, () => d.runOk(chain))).filter(isCommit);
      const mid = commits[Math.floor(commits.length / 2)]!;
      const head = (JSON.parse(String(mid.values[0])) as { id: string; expected: number; owner: string; epoch: number }[])[0]!;
      // the run as it was before that commit (committed: see explain), once its own lease release has landed
      while ((await c.query('SELECT lease_owner FROM runs WHERE id = $1', [head.id])).rows[0].lease_owner !== null) await new Promise((r) => setImmediate(r));
      await c.query('UPDATE runs SET last_sequence = $2, lease_owner = $3, lease_epoch = $4, status = $5, finished_at = NULL WHERE id = $1', [head.id, head.expected, head.owner, head.epoch, 'running']);
      await c.query('DELETE FROM run_events WHERE run_id = $1 AND sequence > $2', [head.id, head.expected]);
      await c.query('DELETE FROM node_runs WHERE run_id = $1 AND queued_sequence > $2', [head.id, head.expected]);
      await c.query('DELETE FROM model_calls WHERE run_id = $1', [head.id]);
      // The same commit through the statement with every arm (its five recordsets: new runs and model calls padded).
      const kinds = mid.text.includes('INSERT INTO model_calls');
      const full: Captured = { text: COMMIT_SQL, values: [mid.values[0], mid.values[1], mid.values[2], '[]', kinds ? mid.values[3] : '[]'] };
      await compare(c, ['mid-chain commit, statement with every arm', 'mid-chain commit, statement of its shape'], [full], [mid]);
    } finally {
      c.release();
    }
    if (d.errors.length > 0) console.log('errors:', d.errors.slice(0, 5));
  } finally {
    await d.close();
  }
} finally {
  await cluster.stop();
}
