/**
 * Statements per run started through the HTTP API (issue 17, "The HTTP path"): builds the app `llmctl serve` builds
 * in this process, counts every statement any pg client of the process sends (pool, group commit, listeners), and
 * drives N 3-node runs (start → scripted task → end) the way the benchmark's HTTP load does: POST
 * /api/flowcharts/:id/runs, then GET /api/runs/:id?wait_s=30 until terminal. Prints statements per run by kind.
 *
 *   node --import tsx bench/src/http-census.ts [--runs 20] [--concurrency 1] [--keyed]
 *
 * `--keyed` sends an `Idempotency-Key` with every run start (the ledger's claim and response record are counted).
 */
import pg from 'pg';
import { parseArgs } from 'node:util';
import { openDatabase } from '@llmctl/store';
import { buildApp, loadConfig } from '@llmctl/server';
import { openCluster } from './cluster.ts';
import { BENCH_MODEL_INPUT, llmctlDocument } from './llmctl-graphs.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '1' }, keyed: { type: 'boolean', default: false } } });
const N = Number(values.runs);
const C = Number(values.concurrency);

const counts = new Map<string, number>();
let counting = false;
const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const original = proto.query;
proto.query = function census(this: unknown, ...args: unknown[]) {
  if (counting) {
    const first = args[0];
    const sql = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    const flat = sql.replace(/\s+/g, ' ').trim();
    // A multi-statement read (the run view) is told apart from a one-statement read that starts the same way.
    const parts = flat.split(';').filter((x) => x.trim() !== '').length;
    const kind = `${flat.slice(0, 90)}${parts > 1 ? ` [${parts} statements]` : ''}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return original.apply(this, args);
};

const cluster = await openCluster({ fast: true });
const scratch = await cluster.database('census');
const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 10 });
const app = await buildApp({ db, config: loadConfig({}, { logLevel: 'silent', studioDist: '/nonexistent', databaseUrl: scratch.url, rateLimit: null }) });
try {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  let keys = 0;
  const api = async (method: string, path: string, body?: unknown): Promise<{ id: string; status: string }> => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (values.keyed && method === 'POST') headers['idempotency-key'] = `census-${process.pid}-${(keys += 1)}`;
    const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as { ok: boolean; data: { id: string; status: string } };
    if (!json.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json.data;
  };
  await api('POST', '/api/models', BENCH_MODEL_INPUT);
  const fc = await api('POST', '/api/flowcharts', llmctlDocument({ kind: 'flow3' }, 'task'));
  let gets = 0;
  const one = async (): Promise<void> => {
    const r = await api('POST', `/api/flowcharts/${fc.id}/runs`, { input: { bench: true } });
    for (;;) {
      gets += 1;
      if ((await api('GET', `/api/runs/${r.id}?wait_s=30`)).status === 'succeeded') return;
    }
  };
  for (let i = 0; i < 3; i++) await one(); // warm caches (flowchart graph, model row)
  gets = 0;
  counting = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i += C) await Promise.all(Array.from({ length: Math.min(C, N - i) }, () => one()));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  counting = false;
  let total = 0;
  for (const [kind, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    total += n;
    console.log(`${(n / N).toFixed(2).padStart(6)}  ${kind}`);
  }
  console.log(`${(total / N).toFixed(2).padStart(6)}  statements per HTTP run in all`);
  console.log(`${N} runs, ${C} at a time: ${((N * 1000) / wall).toFixed(1)} runs/s, process CPU ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms/run (server and client), GETs per run ${(gets / N).toFixed(2)}`);
} finally {
  await app.close();
  await db.close();
  await cluster.stop();
}
