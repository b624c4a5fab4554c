/**
 * The realtime hub without a database or network: a fake pool holds the run log, a fake socket records what it is
 * sent. These pin the seam rules deterministically (live events that arrive while the log is replayed, duplicates
 * from the bus and notifications, gaps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { EventEnvelope } from '@llmctl/contracts';
import { RealtimeHub } from '../src/realtime/realtime-hub.ts';

const RUN = 'run_0000000000aaaaaaaaaaaaaaaa';
const FC = 'fc_0000000000aaaaaaaaaaaaaaaa';

function row(sequence: number) {
  return { run_id: RUN, sequence, event_id: `ev_${sequence}`, event_type: 'flowchart:node:updated', payload: { n: sequence }, request_id: null, correlation_id: null, created_at: new Date().toISOString() };
}

function harness(committed: number) {
  const log = Array.from({ length: committed }, (_, i) => row(i + 1));
  let gate: Promise<void> | null = null;
  let reads = 0;
  let failReads = 0;
  const pool = {
    async query(text: string, params: unknown[]) {
      // Matched without identifier quotes and case (the store's typed SQL, Kysely, quotes identifiers).
      const sql = text.replace(/"/g, '').toUpperCase();
      if (sql.includes('FROM RUNS WHERE ID = ANY')) return { rows: [{ id: RUN, flowchart_id: FC, last_sequence: log.length }] };
      if (sql.includes('FROM FLOWCHARTS')) return { rows: [{ id: FC }] };
      if (sql.includes('FROM RUN_EVENTS')) {
        reads += 1;
        if (gate) await gate;
        if (failReads > 0) {
          failReads -= 1;
          throw new Error('connection lost');
        }
        const [, after, limit] = params as [string, number, number];
        return { rows: log.filter((r) => r.sequence > after).slice(0, limit) };
      }
      throw new Error(`unexpected query ${sql}`);
    },
  };
  const nsp = { to: () => ({ emit: () => undefined }) };
  const hub = new RealtimeHub({ pool: pool as never, nsp: nsp as never, logger: pino({ level: 'silent' }), localGraceMs: 1 });
  const socket = {
    id: 's1', connected: true, sent: [] as EventEnvelope[], handlers: new Map<string, (...a: unknown[]) => void>(),
    join: () => undefined,
    on(ev: string, fn: (...a: unknown[]) => void) { this.handlers.set(ev, fn); },
    emit(_ev: string, e: EventEnvelope) { this.sent.push(e); },
  };
  hub.attach(socket as never);
  const commit = (): ReturnType<typeof row> => {
    const r = row(log.length + 1);
    log.push(r);
    return r;
  };
  return {
    hub, socket, log, commit,
    get reads() { return reads; },
    failReads(n: number) { failReads = n; },
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((r) => { release = r; });
      return () => { gate = null; release(); };
    },
    subscribe(body: unknown): Promise<any> {
      return new Promise((resolve) => socket.handlers.get('subscribe')!(body, resolve));
    },
    seqs: () => socket.sent.map((e) => e.sequence),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

test('live events committed while the log is replayed are held, then sent once each after the replay, in order', async () => {
  const h = harness(5);
  const release = h.hold();
  const acked = h.subscribe({ rooms: [`run:${RUN}`], after_sequence: 0 });
  await settle();
  // Two commits reach the bus while the replay read is still in flight (the log now holds them too).
  for (let i = 0; i < 2; i += 1) h.hub.onBusEvent({ ...h.commit(), flowchart_id: FC });
  assert.deepEqual(h.seqs(), [], 'nothing may be sent before the replay');
  release();
  const ack = await acked;
  assert.equal(ack.ok, true);
  assert.equal(ack.last_sequence, 7);
  h.hub.onBusEvent({ ...h.commit(), flowchart_id: FC });
  assert.deepEqual(h.seqs(), [1, 2, 3, 4, 5, 6, 7, 8]);
  for (const e of h.socket.sent) assert.equal(e.idempotency_key, `${RUN}:${e.sequence}`);
});

test('live events that arrive before the replay reads the log are not sent twice', async () => {
  const h = harness(3);
  const release = h.hold();
  const acked = h.subscribe({ rooms: [`run:${RUN}`, `flowchart:${FC}`], after_sequence: 1 });
  await settle();
  const e4 = h.commit();
  h.hub.onBusEvent({ ...e4, flowchart_id: FC });
  h.hub.onBusEvent({ ...e4, flowchart_id: FC });
  release();
  await acked;
  h.hub.onRunNotification(JSON.stringify({ run_id: RUN, last_sequence: 4 }));
  await settle();
  assert.deepEqual(h.seqs(), [2, 3, 4]);
});

test('a notification of commits the bus did not deliver reads them from the log; a bus gap is filled the same way', async () => {
  const h = harness(2);
  const ack = await h.subscribe({ rooms: [`run:${RUN}`] });
  assert.equal(ack.ok, true);
  await settle();
  h.commit();
  h.commit();
  h.hub.onRunNotification(JSON.stringify({ run_id: RUN, last_sequence: 4 }));
  await settle();
  assert.deepEqual(h.seqs(), [3, 4]);
  h.commit();
  const e6 = h.commit();
  h.hub.onBusEvent({ ...e6, flowchart_id: FC });
  await settle();
  assert.deepEqual(h.seqs(), [3, 4, 5, 6]);
});

test('a notification about a run this process executes waits for the bus instead of reading the log', async () => {
  const h = harness(1);
  await h.subscribe({ rooms: [`run:${RUN}`] });
  await settle();
  const before = h.reads;
  const e2 = h.commit();
  h.hub.onBusEvent({ ...e2, flowchart_id: FC });
  const e3 = h.commit();
  h.hub.onRunNotification(JSON.stringify({ run_id: RUN, last_sequence: 3 }));
  h.hub.onBusEvent({ ...e3, flowchart_id: FC });
  await settle();
  assert.deepEqual(h.seqs(), [2, 3]);
  assert.equal(h.reads, before, 'the log was read although the bus delivered everything');
});

test('a replay that fails is acknowledged with a retryable error and leaves no half subscription behind', async () => {
  const h = harness(3);
  h.failReads(2); // the new feed's first read, then the replay
  const ack = await h.subscribe({ rooms: [`run:${RUN}`], after_sequence: 0 });
  assert.equal(ack.ok, false);
  assert.equal(ack.error.code, 'internal');
  assert.equal(ack.error.retryable, true);
  assert.equal(h.hub.roomSize(`run:${RUN}`), 0);
  h.hub.onBusEvent({ ...h.commit(), flowchart_id: FC });
  assert.deepEqual(h.seqs(), []);
  const again = await h.subscribe({ rooms: [`run:${RUN}`], after_sequence: 0 });
  assert.equal(again.ok, true);
  assert.deepEqual(h.seqs(), [1, 2, 3, 4]);
  h.hub.close();
});
