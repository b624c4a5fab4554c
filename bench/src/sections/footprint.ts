import pg from 'pg';
import type { BenchCluster } from '../cluster.ts';
import { LangGraphDriver } from '../langgraph-driver.ts';
import { LlmctlDriver, type CensusRow } from '../llmctl-driver.ts';
import { llmctlDocument, withContextConnectors } from '../llmctl-graphs.ts';
import { shapeLabel, workNodes, type Shape } from '../workloads.ts';

/** Writes of one table during a measured run. */
export interface TableWrites {
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  bytes: number;
}

/** How many times a payload passed from node to node is written per hop (WAL with payload − without, ÷ payload). */
export interface AmplificationResult {
  engine: 'llmctl-pass' | 'langgraph-pg-async';
  nodes: number;
  payloadBytes: number;
  walPerNodePlain: number;
  walPerNodePayload: number;
  bytesPerNodePlain: number;
  bytesPerNodePayload: number;
  /** (WAL per node with payload − without) ÷ payload size. */
  walCopies: number;
  /** The same on table + index growth (TOAST-compressed, so lower for compressible payloads). */
  tableCopies: number;
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

/** Opens `n` pool connections up front. */
async function warmPool(pool: pg.Pool, n: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  for (const c of clients) c.release();
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

async function llmctlOnce(cluster: BenchCluster, shape: Shape, variant: 'task' | 'pass', input: unknown, context = false): Promise<FootprintResult> {
  const url = (await cluster.database('bench_fp_')).url;
  const setup = await LlmctlDriver.open(url, { poolMax: 10 });
  const doc = llmctlDocument(shape, variant);
  const id = await setup.save(context ? withContextConnectors(doc) : doc);
  await setup.close();
  const before = await snapshot(url);
  const d = await LlmctlDriver.open(url, { poolMax: 10 });
  await warmPool(d.db.pool, 10); // connection set-up is not part of a node's cost
  const stop = d.startCensus();
  await d.runOk(id, input);
  const census = stop();
  await d.close();
  return measure(url, variant === 'task' ? 'llmctl-task' : 'llmctl-pass', shape, census, before);
}

async function langGraphOnce(cluster: BenchCluster, shape: Shape, input: unknown, forward: boolean): Promise<FootprintResult> {
  const url = (await cluster.database('bench_fp_lg_')).url;
  const setup = await LangGraphDriver.open('postgres', { url, poolMax: 10 });
  await setup.close();
  const before = await snapshot(url);
  const d = await LangGraphDriver.open('postgres', { url, poolMax: 10 });
  await d.compile(shape, forward)(input);
  await d.close();
  return measure(url, 'langgraph-pg-async', shape, undefined, before);
}

/**
 * Database rows and bytes written by one run of each shape: llmctl (task and pass-through) and LangGraph's
 * PostgresSaver, each in a fresh database. The measured connections are closed before reading the statistics so
 * that their counters are flushed. Then the write amplification of a payload passed along a chain (`context`: each
 * llmctl hop also a context connector, so the payload reaches every node as its token and as its context).
 */
export async function runFootprint(cluster: BenchCluster, shapes: Shape[], amplification: { nodes: number; payloadBytes: number; context?: boolean } | null,
  log: (msg: string) => void, engines: readonly AmplificationResult['engine'][] = ['llmctl-pass', 'langgraph-pg-async']): Promise<{ footprint: FootprintResult[]; amplification: AmplificationResult[] }> {
  const out: FootprintResult[] = [];
  const show = (r: FootprintResult): void => log(`  ${r.label.padEnd(18)} ${r.engine.padEnd(20)} ${r.rowsPerNode.toFixed(1)} rows, ${(r.bytesPerNode / 1024).toFixed(1)} KiB, WAL ${(r.walPerNode / 1024).toFixed(1)} KiB per node`);
  for (const shape of shapes) {
    for (const variant of ['task', 'pass'] as const) {
      const r = await llmctlOnce(cluster, shape, variant, { bench: true });
      out.push(r);
      show(r);
    }
    const r = await langGraphOnce(cluster, shape, { bench: true }, false);
    out.push(r);
    show(r);
  }
  const amp: AmplificationResult[] = [];
  if (amplification) {
    const shape: Shape = { kind: 'chain', nodes: amplification.nodes };
    const payload = { text: randomText(amplification.payloadBytes) };
    for (const engine of engines) {
      const run = (input: unknown): Promise<FootprintResult> => (engine === 'llmctl-pass' ? llmctlOnce(cluster, shape, 'pass', input, amplification.context) : langGraphOnce(cluster, shape, input, true));
      const plain = await run({ text: '' });
      const big = await run(payload);
      const a: AmplificationResult = {
        engine, nodes: amplification.nodes, payloadBytes: amplification.payloadBytes,
        walPerNodePlain: plain.walPerNode, walPerNodePayload: big.walPerNode, bytesPerNodePlain: plain.bytesPerNode, bytesPerNodePayload: big.bytesPerNode,
        walCopies: (big.walPerNode - plain.walPerNode) / amplification.payloadBytes,
        tableCopies: (big.bytesPerNode - plain.bytesPerNode) / amplification.payloadBytes,
      };
      amp.push(a);
      log(`  ${amplification.payloadBytes} B payload along chain ${amplification.nodes}, ${engine.padEnd(20)} written ${a.walCopies.toFixed(1)}× per hop (WAL), ${a.tableCopies.toFixed(1)}× (tables)`);
    }
  }
  return { footprint: out, amplification: amp };
}

/** What a loop of pass-through nodes does to its value (see `passThroughNotApplicable`). */
export interface NestingProbe {
  iterations: number;
  /** Object nesting depth of the run's output. */
  depth: number;
  outputBytes: number;
}

function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let d = 0;
  for (const x of Object.values(v as Record<string, unknown>)) d = Math.max(d, depthOf(x));
  return d + 1;
}

/** Runs a loop made only of pass-through nodes and measures how deep its output has nested. */
export async function probeNesting(cluster: BenchCluster, iterations: number): Promise<NestingProbe> {
  const d = await LlmctlDriver.open((await cluster.database('bench_nest_')).url, { poolMax: 4 });
  try {
    const id = await d.save(llmctlDocument({ kind: 'loop', iterations }, 'pass'));
    const r = await d.runOk(id, { bench: true });
    const row = await d.db.pool.query<{ output: unknown }>('SELECT output FROM runs WHERE id = $1', [r.runId]);
    const output = row.rows[0]?.output;
    return { iterations, depth: depthOf(output), outputBytes: JSON.stringify(output ?? null).length };
  } finally {
    await d.close();
  }
}

/** Incompressible-ish text (TOAST compression would otherwise hide the copies). */
function randomText(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < bytes; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}
