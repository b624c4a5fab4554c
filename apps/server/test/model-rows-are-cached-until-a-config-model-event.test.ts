/**
 * The model gateway keeps model rows per name (no row read per model call) and forgets them on every
 * `config:model:*` event: this server's own model changes, and other servers' through the realtime notifications.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelRepository, createPool } from '@llmctl/store';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { RegistryModelGateway } from '../src/runtime/model-gateway.ts';
import { startPeerServer, startTestServer, type PeerServer } from './support/test-server.ts';
import { finishedRun, seedSlowFlowchart, startRun } from './support/realtime.ts';

test('with the row cache on, a model row is read once per name until invalidated; misses are not cached', async () => {
  const scratch = await createTestDatabase({ migrated: true });
  const pool = createPool(scratch.url, { max: 2 });
  try {
    const repo = new ModelRepository(pool);
    let reads = 0;
    const find = repo.findByName.bind(repo);
    repo.findByName = (name) => {
      reads++;
      return find(name);
    };
    const m = await repo.create({ name: 'cached', provider: 'scripted', model: 'one', settings: { responses: [{ output: 'x' }] } });
    const gateway = new RegistryModelGateway(repo);
    await gateway.resolve('cached');
    await gateway.resolve('cached');
    assert.equal(reads, 2, 'without the cache every call reads the row');

    gateway.cacheModelRows();
    reads = 0;
    assert.equal((await gateway.resolve('cached'))!.model, 'one');
    assert.equal((await gateway.resolve('cached'))!.model, 'one');
    assert.equal(reads, 1, 'cached after the first read');
    await repo.update(m.id, { model: 'two' });
    assert.equal((await gateway.resolve('cached'))!.model, 'one', 'no event yet: the cached row is used');
    gateway.invalidateModels();
    assert.equal((await gateway.resolve('cached'))!.model, 'two');

    assert.equal(await gateway.resolve('later'), null);
    await repo.create({ name: 'later', provider: 'scripted', model: 'l', settings: { responses: [{ output: 'x' }] } });
    assert.equal((await gateway.resolve('later'))!.model, 'l', 'a miss is not cached');
  } finally {
    await pool.end();
    await scratch.drop();
  }
});

test('a model change on one server reaches the next model call on this server and on another server', async () => {
  const a = await startTestServer();
  let peer: PeerServer | undefined;
  try {
    peer = await startPeerServer(a);
    const b = peer.app;
    const urlB = peer.url;
    const onB = {
      async request(method: string, path: string, body?: unknown): Promise<any> {
        const res = await fetch(`${urlB}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: res.status, body: await res.json(), text: '' };
      },
    };
    const flowchartId = await seedSlowFlowchart(a, { tasks: 1, delayMs: 0, name: 'cache' });
    const outputOf = async (s: typeof onB | typeof a): Promise<string> => JSON.stringify((await finishedRun(s, await startRun(s, flowchartId))).output);
    assert.match(await outputOf(a), /step done for t1/);
    assert.match(await outputOf(onB), /step done for t1/, 'both servers have the row cached now');

    let invalidatedOnB!: () => void;
    const seenOnB = new Promise<void>((resolve) => (invalidatedOnB = resolve));
    const invalidate = b.modelRows.invalidate;
    b.modelRows.invalidate = () => {
      invalidate();
      invalidatedOnB();
    };
    const model = (await a.request('GET', '/api/models?q=cache-model')).body.data[0];
    assert.equal((await a.request('PUT', `/api/models/${model.id}`, { settings: { responses: [{ output: 'changed answer' }] } })).status, 200);
    assert.match(await outputOf(a), /changed answer/, 'the server that changed the model uses the new row at once');
    await seenOnB;
    assert.match(await outputOf(onB), /changed answer/, 'the other server forgot its cached row on the relayed event');
  } finally {
    await peer?.close();
    await a.close();
  }
});
