import { FlowchartRepository, PgRunStore } from '@llmctl/store';
import type { LlmctlDriver } from '../llmctl-driver.ts';
import { llmctlDocument } from '../llmctl-graphs.ts';
import { nowMs, percentile, summarize, type Summary } from '../stats.ts';

/** Round-trip latency of one store query. */
export interface StoreLatencyRow {
  query: string;
  ms: Summary;
  p99: number;
}

async function time(n: number, fn: () => Promise<unknown>): Promise<{ ms: Summary; p99: number }> {
  for (let i = 0; i < Math.min(20, n); i++) await fn();
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = nowMs();
    await fn();
    v.push(nowMs() - t0);
  }
  return { ms: summarize(v), p99: percentile(v, 99) };
}

/** Store round trips through llmctl's pool: SELECT 1, a flowchart read (API shape and runtime read), a one-row commit. */
export async function runStoreLatency(d: LlmctlDriver, n: number, log: (msg: string) => void): Promise<StoreLatencyRow[]> {
  const pool = d.db.pool;
  const id = await d.save(llmctlDocument({ kind: 'chain', nodes: 10 }, 'task'));
  const repo = new FlowchartRepository(pool);
  const store = new PgRunStore(pool);
  await pool.query('CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigserial PRIMARY KEY, v jsonb)');
  const rows: StoreLatencyRow[] = [];
  const add = async (query: string, fn: () => Promise<unknown>): Promise<void> => {
    const r = await time(n, fn);
    rows.push({ query, ...r });
    log(`  ${query.padEnd(58)} median ${r.ms.median.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms`);
  };
  await add('SELECT 1', () => pool.query('SELECT 1'));
  await add('flowchart read (FlowchartRepository.get, 12 nodes)', () => repo.get(id));
  await add('flowchart version read (PgRunStore.getFlowchartVersion)', () => store.getFlowchartVersion(id));
  await add('one-row INSERT commit (the fsync floor of a commit)', () => pool.query(`INSERT INTO bench_commit_probe (v) VALUES ('{"a":1}')`));
  await pool.query('DROP TABLE bench_commit_probe');
  return rows;
}
