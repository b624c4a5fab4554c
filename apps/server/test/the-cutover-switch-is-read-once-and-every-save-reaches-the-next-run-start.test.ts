/**
 * A run start checks the cutover switch (`agent_runtime_cutover_enabled`) without reading the settings row each time:
 * the switch is kept while the realtime LISTEN connection is up and forgotten on every save — a settings PUT here
 * (before it answers) or elsewhere, and a migration apply (which turns it off) here or elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CutoverSwitch } from '../src/routes/cutover-switch.ts';
import { errorCode, startPeerServer, startTestServer, type PeerServer, type TestResponse } from './support/test-server.ts';
import { validDoc } from './support/documents.ts';
import { finishedRun } from './support/realtime.ts';
import { multiMatchWithJoin } from '../../../packages/migrate/test/fixtures/legacy-graphs.ts';

test('the switch is read on every call until trusted, then once per invalidation; a read that straddles one is not kept', async () => {
  let value = true;
  let gate: Promise<void> | null = null;
  const settings = {
    async getRuntime() {
      const v = value;
      if (gate) await gate;
      return { agent_runtime_cutover_enabled: v } as never;
    },
  };
  const sw = new CutoverSwitch(settings);
  assert.equal(await sw.isEnabled(), true);
  assert.equal(await sw.isEnabled(), true);
  assert.equal(sw.reads, 2, 'untrusted: every call reads');
  sw.trust(true);
  assert.equal(await sw.isEnabled(), true);
  value = false;
  assert.equal(await sw.isEnabled(), true, 'trusted and not invalidated: the kept value');
  assert.equal(sw.reads, 3);
  sw.invalidate();
  assert.equal(await sw.isEnabled(), false);
  assert.equal(sw.reads, 4);
  // A read that an invalidation overtakes answers its value but is not kept.
  sw.invalidate();
  let open!: () => void;
  gate = new Promise<void>((r) => (open = r));
  const pending = sw.isEnabled();
  sw.invalidate();
  value = true;
  gate = null;
  open();
  assert.equal(await pending, false);
  assert.equal(await sw.isEnabled(), true, 'the straddling read was not kept');
  assert.equal(await sw.isEnabled(), true);
  assert.equal(sw.reads, 6);
  sw.trust(false);
  await sw.isEnabled();
  await sw.isEnabled();
  assert.equal(sw.reads, 8, 'a lost connection: every call reads again');
});

const MODEL = { name: 'demo', provider: 'scripted', settings: { responses: [{ output: { route_key: 'approve', message: 'ok' } }] } };

test('two servers: a migration apply on one blocks the next run start on both; a settings PUT re-opens it on both', async () => {
  const a = await startTestServer();
  let peer: PeerServer | undefined;
  try {
    peer = await startPeerServer(a);
    const urlB = peer.url;
    const b = {
      async request(method: string, path: string, body?: unknown): Promise<TestResponse> {
        const res = await fetch(`${urlB}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        return { status: res.status, headers: res.headers, body: JSON.parse(text), text };
      },
    };
    const swA = a.app.cutoverSwitch;
    const swB = peer.app.cutoverSwitch;
    assert.equal(swA.isTrusted, true, 'the realtime LISTEN connection is up');
    assert.equal(swB.isTrusted, true);
    const invalidations = (sw: CutoverSwitch): { next(): Promise<void> } => {
      const waiters: (() => void)[] = [];
      sw.cache.onInvalidated(() => {
        for (const w of waiters.splice(0)) w();
      });
      return { next: () => new Promise<void>((r) => waiters.push(r)) };
    };
    const onA = invalidations(swA);
    const onB = invalidations(swB);

    assert.equal((await a.request('POST', '/api/models', MODEL)).status, 201);
    const own = (await a.request('POST', '/api/flowcharts', validDoc('Own', 'demo'))).body.data.id as string;
    const start = async (s: Pick<typeof b, 'request'>, id: string) => s.request('POST', `/api/flowcharts/${id}/runs`, { input: {} });
    const readsA = swA.reads;
    for (let i = 0; i < 3; i++) {
      const r = await start(a, own);
      assert.equal(r.status, 201, r.text);
      await finishedRun(a, r.body.data.id);
    }
    assert.equal(swA.reads - readsA, 1, 'three run starts, one settings read');
    assert.equal((await start(b, own)).status, 201);

    // Applied on B: the switch goes off in the apply's transaction; A hears of it through the notification.
    const heardOnA = onA.next();
    const applied = await b.request('POST', '/api/migrations/flowcharts', { source: [multiMatchWithJoin], model_map: { '7': 'demo', '8': 'demo' }, apply: true });
    assert.equal(applied.status, 200, applied.text);
    const imported = applied.body.data.reports[0].apply.flowchart_id as string;
    await heardOnA;
    for (const s of [a, b]) {
      const r = await start(s, imported);
      assert.equal(r.status, 409, r.text);
      assert.equal(errorCode(r), 'cutover_disabled');
    }

    // Turned on through A: A answers the next start at once (its own save), B after the notification.
    const heardOnB = onB.next();
    assert.equal((await a.request('PUT', '/api/settings/runtime', { agent_runtime_cutover_enabled: true })).status, 200);
    assert.equal((await start(a, imported)).status, 201);
    await heardOnB;
    assert.equal((await start(b, imported)).status, 201);
  } finally {
    await peer?.close();
    await a.close();
  }
});
