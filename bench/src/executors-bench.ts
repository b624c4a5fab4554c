/**
 * Executor benchmark: runs per second and node dispatch latency with the inline executor and with 1, 2 and 4 queue
 * workers, side by side, on scripted work that waits (`delay_ms`).
 *
 *   node --import tsx bench/src/executors-bench.ts [--no-write]  (BENCH_RUNS=16 BENCH_DELAY_MS=200 BENCH_WORKERS=1,2,4)
 *
 * Writes its section into bench/report.md (between `<!-- executors:begin -->` and `<!-- executors:end -->`); the full
 * `npm run bench` runs it too and keeps the section (it used to drop it).
 *
 * Dispatch latency = time from the commit that started an attempt (its dispatch row) to a worker confirming it; node
 * overhead = a task node run's duration minus its scripted delay (what the executor adds end to end, inline included).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FlowchartRepository, createPool } from '@llmctl/store';
import { composeRuntime } from '@llmctl/server';
import { createTestDatabase } from '../../scripts/test-database.ts';

const BIN = fileURLToPath(new URL('../../apps/server/bin/llmctl.mjs', import.meta.url));
const WIDTH = 8;

/** Markers of the executors section in bench/report.md. */
export const EXECUTORS_BEGIN = '<!-- executors:begin -->';
export const EXECUTORS_END = '<!-- executors:end -->';

/** What to measure: runs per mode, the scripted work per task, and the worker counts besides inline. */
export interface ExecutorsBenchOptions {
  runs: number;
  delayMs: number;
  workers: number[];
}

/** Options from BENCH_RUNS, BENCH_DELAY_MS, BENCH_WORKERS. */
export function executorsOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ExecutorsBenchOptions {
  return { runs: Number(env.BENCH_RUNS ?? 16), delayMs: Number(env.BENCH_DELAY_MS ?? 200), workers: (env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number) };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
}

/**
 * Measures every mode side by side in one run (one database, one owner process) and returns the markdown section,
 * with the machine's load average before and after (a shared machine's figures show contention).
 */
export async function measureExecutors(o: ExecutorsBenchOptions): Promise<string> {
  const { runs: RUNS, delayMs: DELAY, workers: WORKERS } = o;
  const loadBefore = loadavg()[0]!;
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 20 });
  const children: ChildProcess[] = [];
  const { orchestrator } = composeRuntime({ pool, executors: { pollMs: 200 }, logError: () => undefined });
  await orchestrator.start();
  const rows: string[] = [];
  try {
    await pool.query(`INSERT INTO models (id, name, provider, model, settings) VALUES ('mdl_b', 'b', 'scripted', 'scripted', $1)`,
      [JSON.stringify({ responses: [{ output: 'ok', delay_ms: DELAY }] })]);
    const tasks = Array.from({ length: WIDTH }, (_, i) => ({ id: `t${i}`, type: 'task', config: { model: 'b', prompt: 'go' } }));
    const fc = await new FlowchartRepository(pool).create({ document: {
      schema_version: 1, name: 'bench', settings: { max_parallel_nodes: WIDTH },
      nodes: [{ id: 's', type: 'start' }, ...tasks, { id: 'z', type: 'end' }],
      edges: [...tasks.map((t) => ({ id: `a${t.id}`, source: 's', target: t.id })), ...tasks.map((t) => ({ id: `b${t.id}`, source: t.id, target: 'z' }))],
    } as never });
    for (const mode of ['inline', ...WORKERS.map((w) => `queue:${w}`)]) {
      const [backend, n] = mode.split(':');
      await pool.query(`INSERT INTO runtime_settings (id, settings) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings`, [JSON.stringify({ executor: backend })]);
      const ws: ChildProcess[] = [];
      for (let i = 0; i < Number(n ?? 0); i++) {
        const c = spawn(process.execPath, [BIN, 'worker', '--concurrency', String(WIDTH), '--name', `bench-${i}`], {
          env: { ...process.env, DATABASE_URL: db.url, LLMCTL_LOG_LEVEL: 'silent', LLMCTL_EXECUTOR_POLL_MS: '200' }, stdio: 'ignore',
        });
        ws.push(c);
        children.push(c);
      }
      while ((await pool.query(`SELECT count(*)::int AS n FROM executor_workers WHERE heartbeat_at > now() - interval '5 seconds'`)).rows[0].n < ws.length) await new Promise((r) => setTimeout(r, 50));
      const t0 = Date.now();
      const ids = await Promise.all(Array.from({ length: RUNS }, () => orchestrator.startRun(fc.id, { input: {} }, { request_id: null, correlation_id: null })));
      while ((await pool.query(`SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status IN ('succeeded','failed','canceled')`, [ids])).rows[0].n < RUNS) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const wall = (Date.now() - t0) / 1000;
      const failed = (await pool.query(`SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status <> 'succeeded'`, [ids])).rows[0].n;
      const over = (await pool.query(`SELECT extract(epoch FROM finished_at - started_at) * 1000 - $2 AS ms FROM node_runs WHERE run_id = ANY($1) AND node_type = 'task'`, [ids, DELAY])).rows.map((r) => Number(r.ms));
      const disp = (await pool.query(`SELECT extract(epoch FROM confirmed_at - created_at) * 1000 AS ms FROM executor_dispatches WHERE run_id = ANY($1) AND confirmed_at IS NOT NULL`, [ids])).rows.map((r) => Number(r.ms));
      rows.push(`| ${backend === 'inline' ? 'inline' : `queue, ${n} worker${n === '1' ? '' : 's'}`} | ${(RUNS / wall).toFixed(2)} | ${disp.length ? pct(disp, 50).toFixed(1) : '—'} | ${disp.length ? pct(disp, 99).toFixed(1) : '—'} | ${pct(over, 50).toFixed(1)} | ${pct(over, 99).toFixed(1)} | ${failed} |`);
      for (const c of ws) c.kill('SIGTERM');
      await Promise.all(ws.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
      await pool.query(`DELETE FROM executor_workers`);
    }
    const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, ${cpus().length} cores`;
    return [EXECUTORS_BEGIN, '## Executors: inline vs queue workers (issue 14)', '',
      `Produced by \`node --import tsx bench/src/executors-bench.ts\` (also part of the full \`npm run bench\`) on ` +
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (${load}): one owner process starts ${RUNS} runs of a flowchart with ` +
      `${WIDTH} parallel scripted tasks that each wait \`delay_ms\` = ${DELAY}; the same runs go inline and then through ` +
      `${WORKERS.join(', ')} \`llmctl worker\` processes (concurrency ${WIDTH} each). *Dispatch* = from the commit that started an ` +
      `attempt to a worker confirming it (includes waiting for a free slot); *node overhead* = a task node run's duration minus ` +
      `its ${DELAY} ms of work. Aims: queue dispatch < 5 ms p50 per node; 4 workers ≥ 2× one worker's runs/s.`, '',
      ...(Math.max(loadBefore, loadavg()[0]!) > cpus().length
        ? ['**Measured on a loaded machine** (load average above the core count): the figures show contention with the ' +
          'neighbours, not the executor\'s cost; re-measure on a quiet machine before comparing them with the aims.', '']
        : []),
      '| executor | runs/s | dispatch p50 ms | dispatch p99 ms | node overhead p50 ms | node overhead p99 ms | failed runs |',
      '|---|---|---|---|---|---|---|', ...rows, '', EXECUTORS_END].join('\n');
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await orchestrator.stop();
    await pool.end();
    await db.drop();
  }
}

/** Replaces (or appends) the executors section of the report file. */
export async function writeExecutorsSection(file: string, section: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const i = text.indexOf(EXECUTORS_BEGIN);
  const j = text.indexOf(EXECUTORS_END);
  await writeFile(file, i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + EXECUTORS_END.length) : `${text.trimEnd()}\n\n${section}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const md = await measureExecutors(executorsOptionsFromEnv());
  console.log(md);
  if (!process.argv.includes('--no-write')) await writeExecutorsSection(fileURLToPath(new URL('../report.md', import.meta.url)), md);
}
