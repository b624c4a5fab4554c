import pg from 'pg';
import type { BenchCluster } from '../cluster.ts';
import { LlmctlDriver } from '../llmctl-driver.ts';
import { llmctlDocument } from '../llmctl-graphs.ts';
import { mapSummary, nowMs, percentile, summarize, type Summary } from '../stats.ts';
import { shapeLabel, workNodes, type Shape } from '../workloads.ts';

/** One transport to PostgreSQL: round trip, and an llmctl chain's per-node time over it. */
export interface TransportRow {
  transport: 'tcp' | 'unix';
  select1: Summary;
  select1P99: number;
  chainLabel: string;
  perNodeMs: Summary;
}

async function roundTrips(url: string, n: number): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let i = 0; i < 20; i++) await c.query('SELECT 1');
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = nowMs();
      await c.query('SELECT 1');
      out.push(nowMs() - t0);
    }
    return out;
  } finally {
    await c.end();
  }
}

/**
 * TCP loopback (what llmctl's embedded mode uses: it disables the Unix socket) against a Unix-domain socket to the
 * same server: SELECT 1 round trips, and the same llmctl pass-through chain driven over each (repetitions interleaved).
 */
export async function runTransport(cluster: BenchCluster, shape: Shape, reps: number, queries: number, log: (msg: string) => void): Promise<TransportRow[]> {
  const tcpUrl = (await cluster.database('bench_transport_')).url;
  const unixUrl = cluster.viaSocket(tcpUrl);
  if (!unixUrl) return [];
  const tcp = await LlmctlDriver.open(tcpUrl);
  const unix = await LlmctlDriver.open(unixUrl);
  try {
    const doc = llmctlDocument(shape, 'pass');
    const ids = { tcp: await tcp.save(doc), unix: await unix.save(doc) };
    await tcp.runOk(ids.tcp);
    await unix.runOk(ids.unix);
    const samples = { tcp: [] as number[], unix: [] as number[] };
    for (let i = 0; i < reps; i++) {
      samples.tcp.push((await tcp.runOk(ids.tcp)).ms);
      samples.unix.push((await unix.runOk(ids.unix)).ms);
    }
    const rows: TransportRow[] = [];
    for (const t of ['tcp', 'unix'] as const) {
      const rt = await roundTrips(t === 'tcp' ? tcpUrl : unixUrl, queries);
      const row: TransportRow = {
        transport: t, select1: summarize(rt), select1P99: percentile(rt, 99), chainLabel: shapeLabel(shape),
        perNodeMs: mapSummary(summarize(samples[t]), (v) => v / workNodes(shape)),
      };
      rows.push(row);
      log(`  ${t.padEnd(5)} SELECT 1 median ${row.select1.median.toFixed(3)} ms; ${row.chainLabel} pass-through ${row.perNodeMs.median.toFixed(3)} ms/node`);
    }
    return rows;
  } finally {
    await tcp.close();
    await unix.close();
  }
}
