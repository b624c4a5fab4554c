import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi, startChildServer, stopChildServer, type ChildServer } from './support/child-server.ts';
import { assertRunsMatchUninterrupted, setUpCrashFlows, type StartedRun } from './support/crash-runs.ts';

// Durability: the server is killed with SIGKILL at random points while runs with fan-out, fan-in and loops are in
// flight, restarted, and every run must finish exactly as an uninterrupted run does. (The chaos test adds a tool with
// an external ledger and a database cut: chaos-kills-and-a-database-cut-leave-every-run-as-if-uninterrupted.test.ts.)

const KILLS = Number(process.env.LLMCTL_CRASH_KILLS ?? 20);
const kill9 = (p: ChildServer) => stopChildServer(p, 'SIGKILL');
const FLOWS = ['fanout', 'loop', 'branches'];

test('runs survive SIGKILL of the server at random points: same results, every node-run key completed once, gap-free logs', { timeout: 600_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  let proc = await startChildServer(db.url);
  try {
    const ids = await setUpCrashFlows(proc.url, FLOWS);
    const started: StartedRun[] = [];
    const startRun = async (flow: string, k: number): Promise<void> => {
      const run = await callApi(proc.url, 'POST', `/api/flowcharts/${ids[flow]}/runs`, { input: { k } });
      started.push({ id: run.id, flow, k });
    };
    let k = 0;
    for (const flow of FLOWS) for (let i = 0; i < 2; i++) await startRun(flow, k++);

    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 60 + Math.floor(Math.random() * 400)));
      await kill9(proc);
      proc = await startChildServer(db.url);
      await startRun(FLOWS[kill % 3]!, k++);
    }

    const finished = await assertRunsMatchUninterrupted(proc.url, started, ids);
    assert.ok(started.length >= 6);
    // The kills really landed mid-flight: some attempts were interrupted and ran again under the same key.
    const interrupted = finished.flatMap((r) => r.node_runs ?? []).flatMap((nr) => nr.attempts).filter((a) => a.error?.code === 'interrupted').length;
    assert.ok(interrupted > 0, 'no kill interrupted a running attempt');
  } finally {
    await kill9(proc);
    await db.drop();
  }
});
