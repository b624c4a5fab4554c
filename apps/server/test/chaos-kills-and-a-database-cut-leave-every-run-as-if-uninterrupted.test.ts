import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPool } from '@llmctl/store';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi, startChildServer, stopChildServer, type ChildServer } from './support/child-server.ts';
import { assertRunsMatchUninterrupted, setUpCrashFlows, type StartedRun } from './support/crash-runs.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

// Chaos, bounded for the suite (issue 13): concurrent runs with fan-out, joins, loops and a tool with an external
// effect (a memory row per execution, outside the run store) while the server is SIGKILLed at state-gated points and
// the network to PostgreSQL is cut once. Every run must end as an uninterrupted run does, no recorded tool call may
// run twice, logs stay gap-free and nothing is left running. LLMCTL_CHAOS_KILLS raises the kill count by hand.

const KILLS = Number(process.env.LLMCTL_CHAOS_KILLS ?? 3);
const FLOWS = ['fanout', 'memoryloop', 'branches', 'loop'];

test('chaos: SIGKILLs at state-gated points and a database cut leave every run as an uninterrupted run, tool calls run once', { timeout: 300_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  const proxy = await startTcpProxy(Number(new URL(db.url).port));
  const observer = createPool(db.url, { max: 2 });
  const url = proxy.via(db.url);
  let proc: ChildServer = await startChildServer(url);
  const succeededNodeRuns = async (): Promise<number> => (await observer.query<{ n: number }>(`SELECT count(*)::int AS n FROM node_runs WHERE status = 'succeeded'`)).rows[0]!.n;
  /** Waits until at least `n` node runs have succeeded in total (a state, polled). */
  const untilSucceeded = async (n: number): Promise<void> => {
    for (let i = 0; (await succeededNodeRuns()) < n; i++) {
      if (i > 3000) throw new Error(`fewer than ${n} node runs ever succeeded`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const health = async (): Promise<number> => (await fetch(`${proc.url}/api/health`)).status;
  const healthUntil = async (status: number): Promise<void> => {
    for (let i = 0; (await health()) !== status; i++) {
      if (i > 1000) throw new Error(`health never answered ${status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    const ids = await setUpCrashFlows(proc.url, FLOWS);
    const started: StartedRun[] = [];
    let k = 0;
    for (const flow of FLOWS) {
      for (let i = 0; i < 2; i++) {
        const run = await callApi(proc.url, 'POST', `/api/flowcharts/${ids[flow]}/runs`, { input: { k } });
        started.push({ id: run.id, flow, k: k++ });
      }
    }
    // Kill points: after every further 8 succeeded node runs; the database cut comes between the first two kills.
    let gate = await succeededNodeRuns();
    for (let kill = 0; kill < KILLS; kill++) {
      gate += 8;
      await untilSucceeded(gate);
      await stopChildServer(proc, 'SIGKILL');
      proc = await startChildServer(url);
      if (kill === 0) {
        gate += 8;
        await untilSucceeded(gate);
        await proxy.cut();
        await healthUntil(503);
        assert.equal(proc.child.exitCode, null, 'the server exited when the database went away');
        await proxy.restore();
        await healthUntil(200);
      }
    }

    await assertRunsMatchUninterrupted(proc.url, started, ids);
    // The external ledger: one memory row per succeeded memory node run, never two (a re-executed tool call).
    const memoryRuns = started.filter((s) => s.flow === 'memoryloop').map((s) => s.id);
    const rows = await observer.query<{ node_run_id: string; n: number }>(
      `SELECT node_run_id, count(*)::int AS n FROM memories WHERE run_id = ANY($1::text[]) GROUP BY node_run_id`, [memoryRuns]);
    const succeededMemory = await observer.query<{ id: string }>(
      `SELECT id FROM node_runs WHERE run_id = ANY($1::text[]) AND node_type = 'memory' AND status = 'succeeded'`, [memoryRuns]);
    for (const r of rows.rows) assert.equal(r.n, 1, `memory node run ${r.node_run_id} wrote ${r.n} rows: its tool call ran again`);
    assert.deepEqual(rows.rows.map((r) => r.node_run_id).sort(), succeededMemory.rows.map((r) => r.id).sort());
    assert.equal(succeededMemory.rows.length, memoryRuns.length * 5);
    const ledger = await observer.query<{ n: number }>(`SELECT count(*)::int AS n FROM tool_calls WHERE run_id = ANY($1::text[]) AND status = 'succeeded'`, [memoryRuns]);
    assert.equal(ledger.rows[0]!.n, rows.rows.length);
    const stuck = await observer.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE status IN ('queued', 'running', 'pausing', 'canceling')`);
    assert.equal(stuck.rows[0]!.n, 0, 'runs left active');
  } finally {
    await stopChildServer(proc, 'SIGKILL');
    await observer.end();
    await proxy.close();
    await db.drop();
  }
});
