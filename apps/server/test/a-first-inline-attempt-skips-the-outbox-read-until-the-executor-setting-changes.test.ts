import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Orchestrator, type NodeExecution, type NodeResult, type PublishedEvent } from '@llmctl/runtime';
import { DispatchingExecutor, type DispatchRow, type ExecutorBackend } from '@llmctl/executors';
import { FlowchartRepository, PgRunStore, SettingsRepository, createPool, newId } from '@llmctl/store';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { composeRuntime } from '../src/runtime/compose-runtime.ts';
import { until } from './support/queue-workers.ts';

const FLOW = {
  schema_version: 1, name: 'one task',
  nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model: 'm', prompt: 'hi' } }, { id: 'z', type: 'end' }],
  edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
};

test('a first inline attempt runs without reading executor_dispatches while the cached executor setting says inline', { timeout: 180_000 }, async (t) => {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 6 });
  const other = createPool(db.url, { max: 2 }); // "another process" that saves the settings
  const { inline } = composeRuntime({ pool, logError: () => undefined });
  const remote: string[] = [];
  // The queue backend at its edge: records the dispatch it was handed and answers at once.
  const queue: ExecutorBackend = { name: 'queue', run: async (row: DispatchRow, _x: NodeExecution): Promise<NodeResult> => (remote.push(row.id), { output: 'from the queue' }) };
  const executor = new DispatchingExecutor({ pool, inline, backends: { queue } });
  let reads = 0;
  const latest = executor.store.latest.bind(executor.store);
  executor.store.latest = (id) => (reads++, latest(id));
  const orchestrator = new Orchestrator({ store: new PgRunStore(pool), newId, handlers: {}, executor, logError: () => undefined });
  const done = new Map<string, string>();
  orchestrator.bus.onEvent((e: PublishedEvent) => {
    const p = e.payload as { kind?: string; status?: string };
    if (p.kind === 'run.status' && (p.status === 'succeeded' || p.status === 'failed')) done.set(e.run_id, p.status);
  });
  await orchestrator.start();
  await executor.cacheRuntimeSetting();
  try {
    await pool.query(`INSERT INTO models (id, name, provider, model, settings) VALUES ('mdl_m', 'm', 'scripted', 'scripted', '{"responses":[{"output":"inline answer"}]}')`);
    const fc = await new FlowchartRepository(pool).create({ document: FLOW as never });
    const run = async () => {
      const id = await orchestrator.startRun(fc.id, { input: null }, { request_id: null, correlation_id: null });
      assert.equal(await until(async () => done.get(id), `run ${id} to end`), 'succeeded');
      return id;
    };
    // the output as the run log recorded it (node.succeeded of node a)
    const outputOf = async (runId: string) => (await pool.query(
      `SELECT payload->'output' AS output FROM run_events WHERE run_id = $1 AND payload->>'kind' = 'node.succeeded' AND payload->>'node_id' = 'a'`, [runId])).rows[0].output;
    const dispatches = async (runId: string) => (await pool.query(`SELECT id, state, error->'details'->>'reason' AS reason FROM executor_dispatches WHERE run_id = $1`, [runId])).rows;

    await t.test('setting unset (inline): the task attempt reads no dispatch row and runs inline', async () => {
      await until(async () => executor.knownRuntimeSetting() === null, 'the executor setting to be cached');
      const id = await run();
      assert.equal(reads, 0);
      assert.equal(executor.skippedReads, 1);
      assert.deepEqual(await outputOf(id), { text: 'inline answer' });
      assert.deepEqual(await dispatches(id), []);
    });

    await t.test('a save by another process (executor: queue) empties the cache: the next attempt is read and handed to the queue', async () => {
      await new SettingsRepository(other).putRuntime({ executor: 'queue' });
      await until(async () => executor.knownRuntimeSetting() === 'queue', 'the notification to reach the cache');
      const id = await run();
      assert.equal(reads, 1);
      assert.equal(remote.length, 1);
      assert.equal(await outputOf(id), 'from the queue');
      assert.deepEqual((await dispatches(id)).map((d) => d.id), remote);
    });

    await t.test('an attempt that ran inline on a stale value has its outbox row failed (ran_inline) once the change is heard of', async () => {
      await new SettingsRepository(other).putRuntime({ executor: 'inline' });
      await until(async () => executor.knownRuntimeSetting() === 'inline', 'the cache to say inline');
      // A change this process has not heard of yet (written without the notification): the commit writes a row.
      await other.query(`UPDATE runtime_settings SET settings = jsonb_set(settings, '{executor}', '"queue"') WHERE id = 1`);
      const id = await run();
      assert.deepEqual(await outputOf(id), { text: 'inline answer' }); // ran once, inline
      assert.equal(remote.length, 1); // nothing more went to the queue
      assert.deepEqual((await dispatches(id)).map((d) => d.state), ['pending']);
      await new SettingsRepository(other).putRuntime({ executor: 'queue' }); // the notification arrives
      const rows = await until(async () => {
        const r = await dispatches(id);
        return r[0]?.state === 'failed' && r;
      }, 'the stale row to be settled');
      assert.equal(rows[0].reason, 'ran_inline');
    });
  } finally {
    await orchestrator.stop();
    await executor.stopCachingRuntimeSetting();
    await other.end();
    await pool.end();
    await db.drop();
  }
});
