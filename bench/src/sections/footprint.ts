import pg from 'pg';
import type { BenchCluster } from '../cluster.ts';
import { LangGraphDriver } from '../langgraph-driver.ts';
import { LlmctlDriver, type CensusRow } from '../llmctl-driver.ts';
import { llmctlDocument } from '../llmctl-graphs.ts';
import { shapeLabel, workNodes, type Shape } from '../workloads.ts';

/** Writes of one table during a measured run. */
export interface TableWrites {
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  bytes: number;
}

/** What one run of a shape wrote to PostgreSQL. */
export interface FootprintResult {
  engine: 'llmctl-task' | 'llmctl-pass' | 'langgraph-pg-async';
  shape: Shape;
  label: string;
  workNodes: number;
  /** Rows inserted + updated + deleted (pg_stat_user_tables). */
  rows: number;
  rowsPerNode: number;
  /** Growth of pg_total_relation_size over every table (heap, TOAST, indexes). */
  bytes: number;
  bytesPerNode: number;
  /** WAL generated (pg_current_wal_lsn difference; the cluster is otherwise idle). */
  walBytes: number;
  walPerNode: number;
  tables: TableWrites[];
  /** llmctl only: statements per run by kind. */
  census?: CensusRow[];
}

type Snapshot = Map<string, { ins: number; upd: number; del: number; bytes: number }>;

async function snapshot(url: string): Promise<{ tables: Snapshot; wal: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // Backends flush their table statistics when they exit (the measured pool was just closed): wait until stable.
    let prev = '';
    let rows: { relname: string; ins: string; upd: string; del: string; bytes: string }[] = [];
    for (let i = 0; i < 40; i++) {
      await c.query('SELECT pg_stat_clear_snapshot()');
      rows = (await c.query(`SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del,
        pg_total_relation_size(relid) AS bytes FROM pg_stat_user_tables`)).rows;
      const key = JSON.stringify(rows.map((r) => [r.relname, r.ins, r.upd, r.del]).sort());
      if (key === prev) break;
      prev = key;
      await new Promise((r) => setTimeout(r, 150));
    }
    const wal = (await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    return { tables: new Map(rows.map((r) => [r.relname, { ins: Number(r.ins), upd: Number(r.upd), del: Number(r.del), bytes: Number(r.bytes) }])), wal };
  } finally {
    await c.end();
  }
}

async function walDiff(url: string, from: string, to: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ d: string }>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) AS d', [to, from])).rows[0]!.d);
  } finally {
    await c.end();
  }
}

async function measure(url: string, engine: FootprintResult['engine'], shape: Shape, census: CensusRow[] | undefined,
  before: { tables: Snapshot; wal: string }): Promise<FootprintResult> {
  const after = await snapshot(url);
  const tables: TableWrites[] = [];
  for (const [table, a] of after.tables) {
    const b = before.tables.get(table) ?? { ins: 0, upd: 0, del: 0, bytes: 0 };
    const t = { table, inserted: a.ins - b.ins, updated: a.upd - b.upd, deleted: a.del - b.del, bytes: a.bytes - b.bytes };
    if (t.inserted || t.updated || t.deleted || t.bytes) tables.push(t);
  }
  tables.sort((x, y) => y.bytes - x.bytes);
  const n = workNodes(shape);
  const rows = tables.reduce((s, t) => s + t.inserted + t.updated + t.deleted, 0);
  const bytes = tables.reduce((s, t) => s + t.bytes, 0);
  const walBytes = await walDiff(url, before.wal, after.wal);
  return {
    engine, shape, label: shapeLabel(shape), workNodes: n, rows, rowsPerNode: rows / n, bytes, bytesPerNode: bytes / n,
    walBytes, walPerNode: walBytes / n, tables, ...(census ? { census } : {}),
  };
}

/**
 * Database rows and bytes written by one run of each shape: llmctl (task and pass-through) and LangGraph's
 * PostgresSaver, each in a fresh database. The measured connections are closed before reading the statistics so
 * that their counters are flushed.
 */
export async function runFootprint(cluster: BenchCluster, shapes: Shape[], log: (msg: string) => void): Promise<FootprintResult[]> {
  const out: FootprintResult[] = [];
  for (const shape of shapes) {
    for (const variant of ['task', 'pass'] as const) {
      const url = (await cluster.database('bench_fp_')).url;
      const setup = await LlmctlDriver.open(url, { poolMax: 4 });
      const id = await setup.save(llmctlDocument(shape, variant));
      await setup.close();
      const before = await snapshot(url);
      const d = await LlmctlDriver.open(url, { poolMax: 4 });
      const stop = d.startCensus();
      await d.runOk(id);
      const census = stop();
      await d.close();
      const r = await measure(url, variant === 'task' ? 'llmctl-task' : 'llmctl-pass', shape, census, before);
      out.push(r);
      log(`  ${r.label.padEnd(18)} ${r.engine.padEnd(20)} ${r.rowsPerNode.toFixed(1)} rows, ${(r.bytesPerNode / 1024).toFixed(1)} KiB, WAL ${(r.walPerNode / 1024).toFixed(1)} KiB per node`);
    }
    const url = (await cluster.database('bench_fp_lg_')).url;
    const setup = await LangGraphDriver.open('postgres', { url, poolMax: 4 });
    await setup.close();
    const before = await snapshot(url);
    const d = await LangGraphDriver.open('postgres', { url, poolMax: 4 });
    await d.compile(shape)();
    await d.close();
    const r = await measure(url, 'langgraph-pg-async', shape, undefined, before);
    out.push(r);
    log(`  ${r.label.padEnd(18)} ${r.engine.padEnd(20)} ${r.rowsPerNode.toFixed(1)} rows, ${(r.bytesPerNode / 1024).toFixed(1)} KiB, WAL ${(r.walPerNode / 1024).toFixed(1)} KiB per node`);
  }
  return out;
}
