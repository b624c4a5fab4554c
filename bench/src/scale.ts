/**
 * Scale benchmark (issue 18): the store at a production's volume. Not a test: it measures and writes
 * bench/scale-report.md.
 *
 *   npm run bench:scale [-- --runs 100000 --events 50000 --snapshot-every 500]
 *   npm run bench:scale -- --only takeover     (just the takeover of a ~50,000-event run; prints, writes no report)
 *
 * On one embedded PostgreSQL (the same binaries and settings as `llmctl serve`): N finished runs (with node runs and
 * events) are inserted in bulk; then the run list (first page, a deep page by OFFSET and by keyset cursor), a
 * `/metrics` scrape, the recovery scan, the takeover fold of a run with ~50,000 real events (from its latest snapshot
 * and from the whole log), and retention deleting every finished run while a live run keeps committing (the longest
 * stall of its commits is reported).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EventBus, foldLog } from '@llmctl/runtime';
import { PgRunStore, RunRepository, RunRetention, RUN_SORTS, parseListParams } from '@llmctl/store';
import { ServerMetrics } from '@llmctl/server';
import { openCluster } from './cluster.ts';
import { LlmctlDriver } from './llmctl-driver.ts';
import { llmctlDocument } from './llmctl-graphs.ts';
import { nowMs, summarize, type Summary } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, events: { type: 'string' }, reps: { type: 'string' }, only: { type: 'string' }, 'snapshot-every': { type: 'string' } } });
const TAKEOVER_ONLY = values.only === 'takeover';
const RUNS = TAKEOVER_ONLY ? 0 : Number(values.runs ?? 100_000);
const EVENTS = Number(values.events ?? 50_000);
const REPS = Number(values.reps ?? 15);

const fmt = (s: Summary): string => `${s.min.toFixed(1)} / **${s.median.toFixed(1)}** / ${s.max.toFixed(1)}`;
const rows: { what: string; ms: Summary; aim: number | null }[] = [];

async function measure(what: string, aim: number | null, fn: () => Promise<unknown>): Promise<void> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = nowMs();
    await fn();
    times.push(nowMs() - t0);
  }
  rows.push({ what, ms: summarize(times), aim });
  process.stderr.write(`  ${what}: median ${summarize(times).median.toFixed(1)} ms\n`);
}

const cluster = await openCluster({});
const lines: string[] = [];
try {
  const scratch = await cluster.database('scale');
  const driver = await LlmctlDriver.open(scratch.url, { poolMax: 10, ...(values['snapshot-every'] ? { snapshotEvery: Number(values['snapshot-every']) } : {}) });
  const pool = driver.db.pool;
  try {
    const fc = await driver.save(llmctlDocument({ kind: 'chain', nodes: 2 }, 'pass'));
    const store = new PgRunStore(pool);
    let t0 = nowMs();
    let insertS = 0;
    if (!TAKEOVER_ONLY) insertS = await bulkAndQueries();
    async function bulkAndQueries(): Promise<number> {
      process.stderr.write(`scale: inserting ${RUNS.toLocaleString('en')} finished runs…\n`);
      t0 = nowMs();
      await pool.query(
        `INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, output, created_at, started_at, finished_at, last_sequence)
         SELECT 'run_' || lpad(g::text, 26, '0'), $1, 1, CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'succeeded' END, '{"n":1}', '{"ok":true}',
                now() - (($2::int - g) * interval '10 second'), now() - (($2::int - g) * interval '10 second'),
                now() - (($2::int - g) * interval '10 second') + interval '2 second', 4
         FROM generate_series(1, $2::int) AS g`, [fc, RUNS]);
      await pool.query(
        `INSERT INTO node_runs (id, run_id, node_id, node_type, iteration, status, idempotency_key, queued_sequence, created_order, output)
         SELECT 'nr_' || lpad((g * 2 + k)::text, 26, '0'), 'run_' || lpad(g::text, 26, '0'), 'n' || k, 'decision', 1, 'succeeded',
                'run:x:node:n' || k, k, k, '{"ok":true}'
         FROM generate_series(1, $1::int) AS g, generate_series(1, 2) AS k`, [RUNS]);
      await pool.query(
        `INSERT INTO run_events (run_id, sequence, event_id, event_type, payload)
         SELECT 'run_' || lpad(g::text, 26, '0'), s, 'ev_' || g || '_' || s, 'flowchart:node:updated', '{"kind":"node.succeeded"}'
         FROM generate_series(1, $1::int) AS g, generate_series(1, 4) AS s`, [RUNS]);
      await pool.query('ANALYZE');
      const inserted = (nowMs() - t0) / 1000;

      const repo = new RunRepository(pool);
      const list = (raw: Record<string, string>, cursor?: string) => repo.list({}, parseListParams(raw, { sorts: RUN_SORTS, defaultSort: 'created_at', defaultOrder: 'desc' }), cursor);
      const deepPage = Math.max(1, Math.floor(RUNS / 20) - 1);
      let deepCursor: string | undefined;
      {
        // A cursor as deep as the deep page: walk there once by keyset.
        const deep = await pool.query<{ created_at: string; id: string }>(
          `SELECT created_at::text AS created_at, id FROM runs ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`, [(deepPage - 1) * 20 - 1]);
        const row = deep.rows[0]!;
        deepCursor = Buffer.from(JSON.stringify([row.created_at, row.id]), 'utf8').toString('base64url');
      }
      process.stderr.write('scale: measuring…\n');
      await measure('run list, first page', 50, () => list({}));
      await measure(`run list, page ${deepPage.toLocaleString('en')} (OFFSET)`, 50, () => list({ page: String(deepPage) }));
      await measure('run list, same depth by keyset cursor', 50, () => list({}, deepCursor));
      await measure('run list filtered by flowchart, first page', 50, () => repo.list({ flowchart_id: fc }, parseListParams({}, { sorts: RUN_SORTS, defaultSort: 'created_at', defaultOrder: 'desc' })));
      const metrics = new ServerMetrics(pool, new EventBus());
      await measure('/metrics scrape (text exposition)', 50, () => metrics.text());
      // 1,000 active runs whose owner died (expired leases) among the finished ones.
      await pool.query(`UPDATE runs SET status = 'running', finished_at = NULL, lease_owner = 'llmctl:gone:1:x', lease_expires_at = now() - interval '1 minute'
                        WHERE id IN (SELECT id FROM runs ORDER BY id LIMIT 1000)`);
      await measure('recovery scan (1,000 orphaned among all runs)', 20, () => store.findRunsToRecover('llmctl:here:2:y', () => false));
      await pool.query(`UPDATE runs SET status = 'succeeded', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = 'llmctl:gone:1:x'`);      return inserted;
    }
    // A real run with ~EVENTS events: a chain of pass-through decisions on the durable runtime.
    process.stderr.write(`scale: running a chain to about ${EVENTS.toLocaleString('en')} events…\n`);
    const probe = await driver.runOk(await driver.save(llmctlDocument({ kind: 'chain', nodes: 50 }, 'pass')));
    const perNode = (await store.getRun(probe.runId))!.last_sequence / 50;
    const nodes = Math.ceil(EVENTS / perNode);
    t0 = nowMs();
    const big = await driver.runOk(await driver.save(llmctlDocument({ kind: 'chain', nodes }, 'pass')));
    const bigRunS = (nowMs() - t0) / 1000;
    const events = (await store.getRun(big.runId))!.last_sequence;
    const snapshots = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM run_snapshots WHERE run_id = $1', [big.runId])).rows[0]!.n;
    const latest = (await pool.query<{ sequence: string; bytes: number; stored: number }>(
      `SELECT sequence, octet_length(state::text) AS bytes, pg_column_size(state) AS stored FROM run_snapshots WHERE run_id = $1 ORDER BY sequence DESC LIMIT 1`,
      [big.runId])).rows[0];
    const snapText = latest
      ? `the latest at event ${Number(latest.sequence).toLocaleString('en')} (${(events - Number(latest.sequence)).toLocaleString('en')} events behind the head; `
        + `${(latest.bytes / 1e6).toFixed(1)} MB of JSON, ${(latest.stored / 1e6).toFixed(1)} MB stored)`
      : 'none';
    process.stderr.write(`scale: ${events} events, ${snapshots} snapshots kept, ${snapText}\n`);
    await measure(`takeover fold of a ${events.toLocaleString('en')}-event run (from its latest snapshot)`, 200, () => foldLog(store, big.runId));
    // The runtime's own fold over a view of the store without snapshots: a takeover that had none.
    const wholeLog = { loadEvents: store.loadEvents.bind(store) };
    await measure(`the same fold from the whole log (no snapshot)`, null, () => foldLog(wholeLog, big.runId));

    if (TAKEOVER_ONLY) {
      // Interleaved, rep by rep, so that a shared machine's load hits both folds alike: the ratio is the figure.
      const ratios: number[] = [];
      const loads: number[] = [];
      for (let i = 0; i < REPS; i++) {
        let t = nowMs();
        await store.loadSnapshot(big.runId, Number.POSITIVE_INFINITY);
        loads.push(nowMs() - t);
        t = nowMs();
        await foldLog(store, big.runId);
        const takeover = nowMs() - t;
        t = nowMs();
        await foldLog(wholeLog, big.runId);
        ratios.push(takeover / (nowMs() - t));
      }
      for (const r of rows) process.stdout.write(`${r.what}: ${fmt(r.ms)} ms (min / median / max)\n`);
      const q = summarize(ratios);
      process.stdout.write(`interleaved: takeover ÷ whole-log fold ${q.min.toFixed(2)} / **${q.median.toFixed(2)}** / ${q.max.toFixed(2)} (min / median / max); `
        + `snapshot read alone ${fmt(summarize(loads))} ms\n`);
      process.stdout.write(`${nodes} nodes, ${bigRunS.toFixed(1)} s to run; ${snapshots} snapshots kept, ${snapText}\n`);
    } else await retentionAndReport();
    async function retentionAndReport(): Promise<void> {
      // Retention of every finished run while a live run commits: the longest pause of its commits.
      process.stderr.write('scale: retention of every finished run while a live run commits…\n');
      const live = 'run_' + '9'.repeat(26);
      await pool.query(`INSERT INTO runs (id, flowchart_id, flowchart_version, status) VALUES ($1, $2, 1, 'running')`, [live, fc]);
      let stop = false;
      const gaps: number[] = [];
      const committer = (async () => {
        let last = nowMs();
        while (!stop) {
          await pool.query('UPDATE runs SET last_sequence = last_sequence + 1, updated_at = now() WHERE id = $1', [live]);
          const now = nowMs();
          gaps.push(now - last);
          last = now;
        }
      })();
      const retention = new RunRetention(pool);
      let deleted = 0;
      const batchTimes: number[] = [];
      t0 = nowMs();
      for (;;) {
        const b0 = nowMs();
        const r = await retention.pruneBatch({ keep_finished_days: 0, keep_last_runs: 1 }, { batchSize: 100 });
        batchTimes.push(nowMs() - b0);
        deleted += r.deleted.length;
        if (!r.more) break;
      }
      const retentionS = (nowMs() - t0) / 1000;
      stop = true;
      await committer;
      const commitGap = summarize(gaps);

      lines.push(
        '# Scale benchmark',
        '',
        `Generated by \`npm run bench:scale\` on ${new Date().toISOString().slice(0, 10)}; ${REPS} repetitions per figure after one warm-up,`,
        'min / **median** / max in milliseconds. One embedded PostgreSQL (same binaries and settings as `llmctl serve`), on the',
        'machine the tests run on (2 cores); figures from a loaded machine are pessimistic.',
        '',
        `Data: ${RUNS.toLocaleString('en')} finished runs with 2 node runs and 4 events each (bulk insert: ${insertS.toFixed(1)} s).`,
        '',
        '| what | ms (min / median / max) | aim | verdict |',
        '|---|---|---|---|',
        ...rows.map((r) => `| ${r.what} | ${fmt(r.ms)} | ${r.aim === null ? '—' : `< ${r.aim} ms`} | ${r.aim === null ? '' : r.ms.median < r.aim ? 'met' : `missed (${(r.ms.median / r.aim).toFixed(1)}×)`} |`),
        '',
        `The ${events.toLocaleString('en')}-event run (${nodes.toLocaleString('en')} pass-through nodes, ${bigRunS.toFixed(1)} s to run) kept ${snapshots} snapshots, ${snapText}.`,
        '',
        `Retention deleted ${deleted.toLocaleString('en')} runs (with their node runs and events) in ${retentionS.toFixed(1)} s, in batches of 100`,
        `(per batch: ${fmt(summarize(batchTimes))} ms). A live run committing meanwhile (single-row updates) waited at most`,
        `**${commitGap.max.toFixed(1)} ms** between two commits (median ${commitGap.median.toFixed(2)} ms, ${commitGap.n.toLocaleString('en')} commits); aim: no stall over 50 ms —`,
        `${commitGap.max < 50 ? 'met' : 'missed'}.`,
        '',
      );
    }
  } finally {
    await driver.close();
  }
} finally {
  await cluster.stop();
}
if (!TAKEOVER_ONLY) {
  const out = fileURLToPath(new URL('../scale-report.md', import.meta.url));
  await writeFile(out, `${lines.join('\n')}\n`);
  process.stderr.write(`scale: wrote ${out}\n`);
}
