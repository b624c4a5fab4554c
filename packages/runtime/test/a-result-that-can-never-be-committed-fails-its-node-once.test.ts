import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Commit } from '../src/index.ts';
import { InMemoryRunStore, Orchestrator, endHandler, startHandler, toErrorInfo } from '../src/index.ts';
import { flow } from './support/harness.ts';

/** A store whose commits of one node's success always fail with a permanent (non-connection) database error. */
class RefusingStore extends InMemoryRunStore {
  override async commit(c: Commit): Promise<void> {
    if (c.events.some((e) => e.payload.kind === 'node.succeeded' && e.payload.node_id === 'a')) {
      throw Object.assign(new Error('value too long for type character varying(8)'), { code: '22001' });
    }
    return super.commit(c);
  }
}

/** A store that is unreachable for its first `down` commits (ECONNREFUSED), then works. */
class FlakyStore extends InMemoryRunStore {
  failures = 0;
  constructor(private down: number) {
    super();
  }
  override async commit(c: Commit): Promise<void> {
    if (this.down > 0 && c.events.some((e) => e.payload.kind === 'node.succeeded')) {
      this.down -= 1;
      this.failures += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    }
    return super.commit(c);
  }
}

async function runOnce(store: InMemoryRunStore, maxAttempts: number) {
  let calls = 0;
  const logged: string[] = [];
  let n = 0;
  const orch = new Orchestrator({
    store, newId: (p) => `${p}_${++n}`, leaseTtlMs: 60_000, backoffMs: () => 1, logError: (m) => logged.push(m),
    handlers: { start: startHandler, end: endHandler, task: async () => ({ output: { call: ++calls } }) },
  });
  await orch.start();
  // The orchestrator's timers are unref'd (a server's sockets keep it alive): keep this process alive meanwhile.
  const alive = setInterval(() => undefined, 1000);
  try {
    store.putFlowchart('fc', flow([{ id: 's', type: 'start' }, { id: 'a', retry: { max_attempts: maxAttempts, backoff_ms: 1 } }, { id: 'z', type: 'end' }], ['s>a', 'a>z']));
    const id = await orch.startRun('fc', { input: {} }, { request_id: null, correlation_id: null });
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (['succeeded', 'failed', 'canceled'].includes(store.runs.get(id)!.status)) {
          off();
          resolve();
        }
      };
      const off = orch.bus.onEvent((e) => e.run_id === id && check());
      check();
    });
    return { id, calls, logged, run: store.runs.get(id)!, nodeRuns: [...store.nodeRuns.get(id)!.values()] };
  } finally {
    clearInterval(alive);
    await orch.stop();
  }
}

test('a node result whose commit fails permanently fails the node with a coded error and is executed once', async () => {
  const r = await runOnce(new RefusingStore(), 3);
  assert.equal(r.run.status, 'failed');
  assert.equal(r.calls, 1, 'the work was re-executed after its result could not be committed');
  const a = r.nodeRuns.find((x) => x.node_id === 'a')!;
  assert.equal(a.status, 'failed');
  assert.equal(a.error?.code, 'internal');
  assert.equal(a.error?.retryable, false);
  assert.equal(r.run.projection?.error?.code, 'internal');
});

test('a commit that fails while the store is unreachable is retried until it goes through, without re-executing the work', async () => {
  const store = new FlakyStore(3);
  const r = await runOnce(store, 1);
  assert.equal(r.run.status, 'succeeded');
  assert.equal(store.failures, 3);
  assert.equal(r.calls, 1);
  assert.deepEqual(r.run.projection?.output, { call: 1 });
  const ev = store.events.get(r.id)!;
  assert.deepEqual(ev.map((e) => e.sequence), ev.map((_, i) => i + 1));
});

test('database errors never become node error codes: unstorable values, outages and others are coded', () => {
  const nul = toErrorInfo(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }));
  assert.equal(nul.code, 'output_unstorable');
  assert.equal(nul.retryable, false);
  const down = toErrorInfo(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
  assert.equal(down.code, 'unavailable');
  assert.equal(down.retryable, true);
  const other = toErrorInfo(Object.assign(new Error('boom'), { code: '42P01' }));
  assert.equal(other.code, 'internal');
  assert.equal(toErrorInfo(new Error('a\u0000b\ud800')).message, 'a\ufffdb\ufffd');
});
