import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from '@llmctl/contracts';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi, startChildServer, stopChildServer, type ChildServer } from './support/child-server.ts';

// Durability: the server is killed with SIGKILL at random points while runs with fan-out, fan-in and loops are in
// flight, restarted, and every run must finish exactly as an uninterrupted run does.

const KILLS = Number(process.env.LLMCTL_CRASH_KILLS ?? 20);
const startServer = startChildServer;
const kill9 = (p: ChildServer) => stopChildServer(p, 'SIGKILL');
const api = callApi;

const taskCfg = (id: string) => ({ id, type: 'task', config: { model: 'crash', prompt: `node ${id} {{input.k}}`, output_schema: { type: 'object' } } });
const FLOWS = {
  fanout: {
    schema_version: 1, name: 'crash fan-out', nodes: [{ id: 's', type: 'start' }, ...['a', 'b', 'c', 'd', 'e'].map(taskCfg), { ...taskCfg('j'), fan_in: { policy: 'all' } }, { id: 'z', type: 'end' }],
    edges: [...['a', 'b', 'c', 'd', 'e'].flatMap((n, i) => [{ id: `s${i}`, source: 's', target: n }, { id: `j${i}`, source: n, target: 'j' }]), { id: 'jz', source: 'j', target: 'z' }],
  },
  loop: {
    schema_version: 1, name: 'crash loop', nodes: [{ id: 's', type: 'start' }, taskCfg('h'), taskCfg('b'), { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'h' }, { id: 'e2', source: 'h', target: 'b' }, { id: 'e3', source: 'b', target: 'h', condition: 'node.iteration < 10' }, { id: 'e4', source: 'b', target: 'z', condition: 'node.iteration >= 10' }],
  },
  branches: {
    schema_version: 1, name: 'crash branches', nodes: [{ id: 's', type: 'start' }, { id: 'd', type: 'decision', config: { match: 'all' } }, taskCfg('x'), taskCfg('y'), taskCfg('w'), taskCfg('j'), { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'd' }, { id: 'e2', source: 'd', target: 'x', condition: 'input.k % 2 = 0' }, { id: 'e3', source: 'd', target: 'y', condition: 'true' }, { id: 'e4', source: 'd', target: 'w', condition: 'input.k > 100' },
      { id: 'e5', source: 'x', target: 'j' }, { id: 'e6', source: 'y', target: 'j' }, { id: 'e7', source: 'w', target: 'j' }, { id: 'e8', source: 'j', target: 'z' }],
  },
};

test('runs survive SIGKILL of the server at random points: same results, every node-run key completed once, gap-free logs', { timeout: 600_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  let proc = await startServer(db.url);
  try {
    await api(proc.url, 'POST', '/api/models', { name: 'crash', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: { node: '{{node.id}}', it: '{{node.iteration}}', k: '{{input.k}}', up: '{{upstream}}' }, delay_ms: 40 }] } });
    const ids: Record<string, string> = {};
    for (const [name, doc] of Object.entries(FLOWS)) ids[name] = (await api(proc.url, 'POST', '/api/flowcharts', doc)).id;

    const started: { id: string; flow: string; k: number }[] = [];
    const startRun = async (flow: string, k: number): Promise<void> => {
      const run = await api(proc.url, 'POST', `/api/flowcharts/${ids[flow]}/runs`, { input: { k } });
      started.push({ id: run.id, flow, k });
    };
    let k = 0;
    for (const flow of Object.keys(FLOWS)) for (let i = 0; i < 2; i++) await startRun(flow, k++);

    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 60 + Math.floor(Math.random() * 400)));
      await kill9(proc);
      proc = await startServer(db.url);
      await startRun(Object.keys(FLOWS)[kill % 3]!, k++);
    }

    const finished: Run[] = [];
    for (const s of started) {
      let run: Run;
      do run = await api(proc.url, 'GET', `/api/runs/${s.id}?wait_s=30`);
      while (!['succeeded', 'failed', 'canceled'].includes(run.status));
      finished.push(run);
    }
    // Reference: the same flowchart and input without interruption.
    for (const [i, s] of started.entries()) {
      const ref = await api(proc.url, 'POST', `/api/flowcharts/${ids[s.flow]}/runs`, { input: { k: s.k } });
      let refRun: Run;
      do refRun = await api(proc.url, 'GET', `/api/runs/${ref.id}?wait_s=30`);
      while (!['succeeded', 'failed', 'canceled'].includes(refRun.status));
      const run = finished[i]!;
      assert.equal(run.status, 'succeeded', `run ${run.id} (${s.flow}) ended ${run.status}: ${JSON.stringify(run.error)}`);
      assert.deepEqual(run.output, refRun.output, `run ${run.id} (${s.flow}) output differs from an uninterrupted run`);
      const completed = new Map<string, number>();
      for (const nr of run.node_runs ?? []) {
        assert.ok(!['queued', 'running'].includes(nr.status), `node run ${nr.id} left ${nr.status}`);
        if (nr.status === 'succeeded') completed.set(nr.idempotency_key, (completed.get(nr.idempotency_key) ?? 0) + 1);
      }
      for (const [key, n] of completed) assert.equal(n, 1, `${key} completed ${n} times`);
      assert.deepEqual([...completed.keys()].sort(), (refRun.node_runs ?? []).filter((x) => x.status === 'succeeded').map((x) => x.idempotency_key.replace(refRun.id, run.id)).sort());
      const events = await api(proc.url, 'GET', `/api/runs/${run.id}/events?after_sequence=0&limit=1000`);
      assert.deepEqual(events.map((e: { sequence: number }) => e.sequence), events.map((_: unknown, j: number) => j + 1), `run ${run.id}: gap in its event log`);
      assert.equal(events.length, (run as Run & { last_sequence: number }).last_sequence);
    }
    assert.ok(started.length >= 6);
    // The kills really landed mid-flight: some attempts were interrupted and ran again under the same key.
    const interrupted = finished.flatMap((r) => r.node_runs ?? []).flatMap((nr) => nr.attempts).filter((a) => a.error?.code === 'interrupted').length;
    assert.ok(interrupted > 0, 'no kill interrupted a running attempt');
  } finally {
    await kill9(proc);
    await db.drop();
  }
});
