/**
 * Token and artifact events reach the sockets of other servers through `pg_notify` (realtime layer). A lone server
 * sends none of them (one statement per batch saved on the HTTP path, issue 17), config events it always relays, and a
 * server that starts says hello, so the first one relays to it from then on (and stops once it is gone and recounted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startPeerServer, startTestServer, type PeerServer } from './support/test-server.ts';
import { validDoc } from './support/documents.ts';
import { finishedRun, startRun } from './support/realtime.ts';

interface Batch { o: string; events: { event_type: string }[] }

test('a lone server relays no token events but every config event; a peer\'s hello turns the relay on', async () => {
  const s = await startTestServer();
  let b: PeerServer | undefined;
  const watcher = new pg.Client({ connectionString: s.db.url }); // hears every relayed batch (not a server: not a peer)
  try {
    const batches: Batch[] = [];
    const arrivals: (() => void)[] = [];
    await watcher.connect();
    watcher.on('notification', (n) => {
      const batch = JSON.parse(n.payload ?? '{}') as Batch;
      if (batch.o !== s.app.realtime.origin) return;
      batches.push(batch);
      for (const a of arrivals.splice(0)) a();
    });
    await watcher.query('LISTEN llmctl_unlogged_events');
    const relayedType = async (type: string) => {
      while (!batches.some((x) => x.events.some((e) => e.event_type === type))) await new Promise<void>((r) => arrivals.push(r));
    };

    const peers = s.app.realtime.peers;
    await peers.count();
    assert.equal(peers.present, false, 'only this server listens');
    assert.equal((await s.request('POST', '/api/models', { name: 'm1', provider: 'scripted', settings: { responses: [{ output: 'hello there' }] } })).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', validDoc('Tokens', 'm1'))).body.data.id as string;
    const tokens = { count: 0 };
    const off = s.app.orchestrator.bus.onTransient((t) => { if (t.event_type === 'flowchart:node:token') tokens.count += 1; });
    const hub = s.app.realtime.hub;
    const deliver = hub.deliverUnlogged.bind(hub);
    const envelopes: string[] = [];
    hub.deliverUnlogged = (env) => {
      envelopes.push(env.event_type);
      deliver(env);
    };
    assert.equal((await finishedRun(s, await startRun(s, fc))).status, 'succeeded');
    off();
    assert.ok(tokens.count > 0, 'the run streamed tokens');
    assert.deepEqual(envelopes.filter((t) => t === 'flowchart:node:token'), [], 'no socket subscribed, no peer: no token envelope built');
    // A config event is always relayed; batches go out in order, so once it is heard nothing earlier is pending.
    assert.equal((await s.request('POST', '/api/models', { name: 'm2', provider: 'scripted', settings: { responses: [{ output: 'x' }] } })).status, 201);
    await relayedType('config:model:created');
    assert.deepEqual(batches.flatMap((x) => x.events.map((e) => e.event_type)).filter((t) => t === 'flowchart:node:token'), [], 'no token event relayed');

    b = await startPeerServer(s);
    while (!peers.present) await new Promise((r) => setImmediate(r)); // B's hello reached this server
    assert.equal(b.app.realtime.peers.present, true, 'B counted this server at its start');
    assert.equal((await finishedRun(s, await startRun(s, fc))).status, 'succeeded');
    await relayedType('flowchart:node:token');
    assert.ok(envelopes.includes('flowchart:node:token'));

    await b.close();
    b = undefined;
    await peers.count();
    assert.equal(peers.present, false, 'recounted after B left');
  } finally {
    await watcher.end();
    await b?.close();
    await s.close();
  }
});
