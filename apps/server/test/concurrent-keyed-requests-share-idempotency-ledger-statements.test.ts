/**
 * The Idempotency-Key ledger under concurrency (issue 17, "The HTTP path"): keyed requests that arrive while a ledger
 * statement is in flight claim their keys together in the next one, and record their responses together, instead of
 * two statements per request; every request still runs once and a repeat replays its own response. A key repeated
 * inside one group is not claimed twice: the repeat sees the first request in progress or replays it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel } from './support/documents.ts';

test('concurrent keyed requests claim and complete their keys in shared statements; each replays its own response', async () => {
  const s = await startTestServer();
  try {
    const claims: number[] = [];
    const completions: number[] = [];
    let hold: Promise<void> | null = null;
    let open!: () => void;
    const pool = s.db.pool as unknown as { query: (...a: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(s.db.pool);
    pool.query = async (...a: unknown[]) => {
      const text = typeof a[0] === 'string' ? a[0] : String((a[0] as { text?: string })?.text);
      const values = (Array.isArray(a[1]) ? a[1] : (a[0] as { values?: unknown[] })?.values) ?? [];
      const rows = Array.isArray(values[0]) ? values[0].length : 1;
      if (/insert into "?idempotency_keys"?/i.test(text)) {
        claims.push(rows);
        if (hold) {
          const h = hold;
          hold = null;
          await h; // the first claim is held in flight while the others arrive
        }
      }
      if (/update "?idempotency_keys"?/i.test(text)) completions.push(rows);
      return query(...a);
    };
    hold = new Promise<void>((r) => (open = r));
    const ledger = s.app.idempotencyLedger;
    const N = 12;
    const send = (i: number) => s.request('POST', '/api/models', scriptedModel(`m${i}`), { 'idempotency-key': `key-${i}` });
    const first = send(0);
    while (claims.length === 0) await new Promise((r) => setImmediate(r)); // the first claim is in flight
    const rest = Array.from({ length: N - 1 }, (_, i) => send(i + 1));
    const repeat = s.request('POST', '/api/models', scriptedModel('m1'), { 'idempotency-key': 'key-1' }); // same key twice
    // all the others wait for it (their requests reached the ledger: no request is still being parsed or routed)
    while (ledger.waitingClaims < N) await new Promise((r) => setImmediate(r));
    open();
    const answers = await Promise.all([first, ...rest]);
    const again = await repeat;
    pool.query = query;

    assert.deepEqual(answers.map((a) => a.status), Array(N).fill(201));
    assert.deepEqual(claims.slice(0, 2), [1, N - 1], 'the first claim alone, the eleven that waited in one statement');
    assert.ok(claims.length <= 3, `claims: ${claims.join(', ')}`);
    assert.ok(completions.length < N, `completions: ${completions.join(', ')}`);
    assert.equal(completions.reduce((x, y) => x + y, 0), N);
    // The repeated key: in progress (409 conflict, retryable) or replayed, never run twice.
    assert.ok(again.status === 409 || again.headers.get('idempotent-replayed') === 'true', `repeat: ${again.status}`);
    const models = (await s.request('GET', '/api/models?per_page=100')).body.data as { name: string }[];
    assert.equal(models.filter((m) => m.name === 'm1').length, 1);

    for (let i = 0; i < N; i++) {
      const replay = await send(i);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(replay.body.data, answers[i]!.body.data);
    }
  } finally {
    await s.close();
  }
});
