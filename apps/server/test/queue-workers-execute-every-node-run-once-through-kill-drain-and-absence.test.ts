import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi as api, startChildServer, stopChildServer, type ChildServer } from './support/child-server.ts';
import { startWorker, stopWorker, until, type WorkerProcess } from './support/queue-workers.ts';

/** Runs in the batch: 60 in the suite (well under a minute on 2 cores); LLMCTL_QUEUE_TEST_RUNS=200 for the long mode. */
const RUNS = Number(process.env.LLMCTL_QUEUE_TEST_RUNS ?? 60);

/** fan-out a → b1|b2|b3 → join j → loop l ⇄ l2 (twice) → end; every task calls the memory tool once. */
function flow(model: string) {
  const t = (id: string) => ({ id, type: 'task', config: { model, prompt: `${id}: go`, tools: ['memory'] } });
  return {
    schema_version: 1, name: `queue ${model}`,
    nodes: [{ id: 's', type: 'start' }, t('a'), t('b1'), t('b2'), t('b3'), t('j'), t('l'), t('l2'), { id: 'z', type: 'end' }],
    edges: [
      { id: 'e1', source: 's', target: 'a' },
      { id: 'e2', source: 'a', target: 'b1' }, { id: 'e3', source: 'a', target: 'b2' }, { id: 'e4', source: 'a', target: 'b3' },
      { id: 'e5', source: 'b1', target: 'j' }, { id: 'e6', source: 'b2', target: 'j' }, { id: 'e7', source: 'b3', target: 'j' },
      { id: 'e8', source: 'j', target: 'l' },
      { id: 'e9', source: 'l', target: 'l2', condition: 'node.iteration < 2' }, { id: 'e10', source: 'l2', target: 'l' },
      { id: 'e11', source: 'l', target: 'z', condition: 'node.iteration >= 2' },
    ],
  };
}
/** Node runs of one run of `flow`: s, a, b1-3, j, l ×2, l2, z; 8 of them are tasks dispatched to the queue. */
const EXPECTED = [['a', 1], ['b1', 1], ['b2', 1], ['b3', 1], ['j', 1], ['l', 2], ['l2', 1], ['s', 1], ['z', 1]];
const DISPATCHED_PER_RUN = 8;

async function model(server: ChildServer, name: string, delayMs: number): Promise<void> {
  await api(server.url, 'POST', '/api/models', {
    name, provider: 'scripted', model: 'scripted',
    settings: { responses: [{ tool_calls: [{ name: 'memory', arguments: { op: 'add', text: '{{node.id}} #{{node.iteration}}' } }], output: { done: '{{node.id}}' }, delay_ms: delayMs }] },
  });
}

async function startRuns(server: ChildServer, flowchartId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await api(server.url, 'POST', `/api/flowcharts/${flowchartId}/runs`, { input: { i } })).id);
  return ids;
}

async function allFinished(pool: pg.Pool, ids: string[]): Promise<boolean> {
  const r = await pool.query(`SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status IN ('succeeded','failed','canceled')`, [ids]);
  return r.rows[0].n === ids.length;
}

/** Every run succeeded with the expected node runs, each dispatched node run finished on a worker exactly once, and each tool call ran once. */
async function assertExactlyOnce(pool: pg.Pool, ids: string[]): Promise<void> {
  const st = await pool.query(`SELECT status, count(*)::int AS n FROM runs WHERE id = ANY($1) GROUP BY status`, [ids]);
  assert.deepEqual(st.rows, [{ status: 'succeeded', n: ids.length }]);
  const per = await pool.query(
    `SELECT run_id, node_id, count(*)::int AS n FROM node_runs WHERE run_id = ANY($1) AND status = 'succeeded' GROUP BY run_id, node_id ORDER BY run_id, node_id`, [ids]);
  const byRun = new Map<string, [string, number][]>();
  for (const r of per.rows as { run_id: string; node_id: string; n: number }[]) byRun.set(r.run_id, [...(byRun.get(r.run_id) ?? []), [r.node_id, r.n]]);
  for (const id of ids) assert.deepEqual(byRun.get(id), EXPECTED, `node runs of ${id}`);
  // one finished dispatch per task node run, executed by a worker
  const fin = await pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT node_run_id)::int AS distinct_nr, bool_and(worker_id IS NOT NULL) AS on_workers
     FROM executor_dispatches WHERE run_id = ANY($1) AND state = 'finished'`, [ids]);
  assert.deepEqual(fin.rows[0], { n: ids.length * DISPATCHED_PER_RUN, distinct_nr: ids.length * DISPATCHED_PER_RUN, on_workers: true });
  // the external ledger: one recorded tool call per task node run, executed once, one memory written per node run
  const tools = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT node_run_id)::int AS nr, max(attempts)::int AS max_attempts FROM tool_calls WHERE run_id = ANY($1) AND status = 'succeeded'`, [ids]);
  assert.deepEqual(tools.rows[0], { n: ids.length * DISPATCHED_PER_RUN, nr: ids.length * DISPATCHED_PER_RUN, max_attempts: 1 });
  const mem = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT node_run_id)::int AS nr FROM memories WHERE run_id = ANY($1)`, [ids]);
  assert.deepEqual(mem.rows[0], { n: ids.length * DISPATCHED_PER_RUN, nr: ids.length * DISPATCHED_PER_RUN });
}

test('queue workers', { timeout: 600_000 }, async (t) => {
  const db = await createTestDatabase({ migrated: true });
  const server = await startChildServer(db.url, { LLMCTL_EXECUTOR_POLL_MS: '200' });
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const workers: WorkerProcess[] = [];
  const spawnWorker = async (name: string, args: string[] = []) => {
    const w = await startWorker(pool, db.url, name, args);
    workers.push(w);
    return w;
  };
  try {
    await api(server.url, 'PUT', '/api/settings/runtime', { executor: 'queue' });
    await model(server, 'fast', 5);
    await model(server, 'slow', 600);
    const fast = await api(server.url, 'POST', '/api/flowcharts', flow('fast'));
    const slow = await api(server.url, 'POST', '/api/flowcharts', flow('slow'));

    await t.test('with no live worker a run waits (running, dispatch submitted) and finishes once a worker starts', async () => {
      const [id] = await startRuns(server, fast.id, 1);
      const waiting = await until(async () => {
        const v = await api(server.url, 'GET', `/api/runs/${id}`);
        const a = v.node_runs.find((n: { node_id: string }) => n.node_id === 'a');
        return a?.executor?.dispatch_state === 'submitted' && v;
      }, 'node a submitted to the queue');
      assert.equal(waiting.status, 'running');
      const a = waiting.node_runs.find((n: { node_id: string }) => n.node_id === 'a');
      assert.equal(a.status, 'running');
      assert.deepEqual({ ...a.executor, job_id: typeof a.executor.job_id }, { backend: 'queue', class: 'frontier', worker_id: null, job_id: 'string', image: null, dispatch_state: 'submitted', degraded_reason: null });
      const health = await api(server.url, 'GET', '/api/health');
      assert.equal(health.executor.backend, 'queue');
      assert.equal(health.executor.queue.live_workers, 0);
      assert.ok(health.executor.queue.depth >= 1);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /llmctl_executor_live_workers 0/);

      const w = await spawnWorker('first');
      await until(() => allFinished(pool, [id!]), 'the waiting run');
      await assertExactlyOnce(pool, [id!]);
      const listed = await api(server.url, 'GET', '/api/workers');
      assert.deepEqual(listed.map((x: { name: string; status: string; concurrency: number; classes: string[] }) => [x.name, x.status, x.concurrency, x.classes]), [['first', 'live', 4, ['frontier']]]);
      const done = await api(server.url, 'GET', `/api/runs/${id}`);
      const da = done.node_runs.find((n: { node_id: string }) => n.node_id === 'a');
      assert.equal(da.executor.dispatch_state, 'finished');
      assert.equal(da.executor.worker_id, listed[0].id);
      assert.equal(da.attempts[0].executor.worker_id, listed[0].id);
      assert.equal(done.node_runs.find((n: { node_id: string }) => n.node_id === 's').executor.backend, 'inline');
      const trace = await api(server.url, 'GET', `/api/runs/${id}/trace`);
      type S = { kind: string; name: string; attributes: Record<string, any>; children: S[] };
      const spanA = (trace as S).children.find((c) => c.kind === 'node_run' && c.attributes.node_id === 'a')!;
      assert.equal(spanA.attributes.executor.backend, 'queue');
      assert.equal(spanA.children.find((c) => c.kind === 'attempt')!.attributes.executor.worker_id, listed[0].id);
      assert.equal(await stopWorker(w), 0);
    });

    await t.test(`three workers run ${RUNS} runs (fan-out, join, loop, tool calls): every node run executed once`, async () => {
      for (const n of ['w1', 'w2', 'w3']) await spawnWorker(n);
      const ids = await startRuns(server, fast.id, RUNS);
      await until(() => allFinished(pool, ids), 'the batch', 12_000);
      await assertExactlyOnce(pool, ids);
      const used = await pool.query(`SELECT count(DISTINCT worker_id)::int AS n FROM executor_dispatches WHERE run_id = ANY($1)`, [ids]);
      assert.ok(used.rows[0].n >= 2, 'the work was spread over the workers');
    });

    await t.test('a SIGKILLed worker: its attempt is re-dispatched after its heartbeat expires (interrupted, worker_lost), nothing lost or repeated', async () => {
      for (const w of workers.splice(0)) await stopWorker(w);
      const victim = await spawnWorker('victim', ['--concurrency', '2']);
      const ids = await startRuns(server, slow.id, 4);
      const victimId = (await pool.query(`SELECT id FROM executor_workers WHERE name = 'victim' AND pid = $1`, [victim.child.pid])).rows[0].id;
      await until(async () => (await pool.query(`SELECT 1 FROM executor_dispatches WHERE worker_id = $1 AND state = 'confirmed'`, [victimId])).rowCount, 'the victim running an attempt');
      victim.child.kill('SIGKILL');
      await victim.exited;
      await spawnWorker('survivor', ['--concurrency', '8']);
      await until(() => allFinished(pool, ids), 'the runs after the kill', 12_000);
      const lost = await pool.query(
        `SELECT nr.id, a->'error'->>'code' AS code, a->'error'->'details'->>'reason' AS reason FROM node_runs nr, jsonb_array_elements(nr.attempts) a
         WHERE nr.run_id = ANY($1) AND a->'error' IS NOT NULL AND a->'error' <> 'null'::jsonb`, [ids]);
      assert.ok(lost.rows.length >= 1, `some attempt was interrupted: ${JSON.stringify((await pool.query(`SELECT id, state, worker_id, error, node_id FROM executor_dispatches WHERE run_id = ANY($1) ORDER BY created_at`, [ids])).rows)} victim ${victimId}`);
      for (const r of lost.rows) assert.deepEqual([r.code, r.reason], ['interrupted', 'worker_lost']);
      const failed = await pool.query(`SELECT DISTINCT error->>'code' AS code FROM executor_dispatches WHERE run_id = ANY($1) AND state = 'failed'`, [ids]);
      assert.deepEqual(failed.rows, [{ code: 'worker_lost' }]);
      await assertExactlyOnce(pool, ids);
      const listed = await api(server.url, 'GET', '/api/workers');
      assert.equal(listed.find((x: { id: string }) => x.id === victimId)?.status, 'lost');
    });

    await t.test('SIGTERM drains: the in-flight attempt finishes on the draining worker, which exits 0', async () => {
      for (const w of workers.splice(0)) await stopWorker(w);
      const w = await spawnWorker('drainer', ['--concurrency', '1']);
      const [id] = await startRuns(server, slow.id, 1);
      const wid = (await pool.query(`SELECT id FROM executor_workers WHERE name = 'drainer'`)).rows[0].id;
      const d = await until(async () => (await pool.query(`SELECT id FROM executor_dispatches WHERE worker_id = $1 AND state = 'confirmed'`, [wid])).rows[0], 'an attempt on the drainer');
      w.child.kill('SIGTERM');
      assert.equal(await w.exited, 0);
      const row = (await pool.query(`SELECT state, worker_id FROM executor_dispatches WHERE id = $1`, [d.id])).rows[0];
      assert.deepEqual(row, { state: 'finished', worker_id: wid });
      assert.equal((await pool.query(`SELECT count(*)::int AS n FROM executor_workers WHERE id = $1`, [wid])).rows[0].n, 0, 'a drained worker leaves the list');
      await spawnWorker('finisher');
      await until(() => allFinished(pool, [id!]), 'the drained run');
      await assertExactlyOnce(pool, [id!]);
    });

    await t.test('a per-flowchart concurrency limit: attempts of one flowchart never overlap on the workers, none is lost or repeated', async () => {
      await api(server.url, 'PUT', '/api/settings/runtime', { queue: { max_concurrent_attempts_per_flowchart: 1 } });
      await spawnWorker('wide', ['--concurrency', '6']);
      const limited = await api(server.url, 'POST', '/api/flowcharts', { ...flow('fast'), name: 'limited' });
      const ids = await startRuns(server, limited.id, 2);
      await until(() => allFinished(pool, ids), 'the limited runs', 12_000);
      await assertExactlyOnce(pool, ids);
      const overlaps = await pool.query(
        `SELECT count(*)::int AS n FROM executor_dispatches a JOIN executor_dispatches b ON a.id < b.id AND a.flowchart_id = b.flowchart_id
         WHERE a.run_id = ANY($1) AND b.run_id = ANY($1) AND a.state = 'finished' AND b.state = 'finished'
           AND tstzrange(a.confirmed_at, a.finished_at) && tstzrange(b.confirmed_at, b.finished_at)`, [ids]);
      assert.equal(overlaps.rows[0].n, 0);
      await api(server.url, 'PUT', '/api/settings/runtime', { queue: { max_concurrent_attempts_per_flowchart: 0 } });
    });
  } finally {
    for (const w of workers) await stopWorker(w, 'SIGKILL');
    await stopChildServer(server);
    await pool.end();
    await db.drop();
  }
});
