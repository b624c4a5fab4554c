/** The contract every `ToolLedger` adapter must pass. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ToolCallStart, ToolLedger } from '../framework/ports.ts';
import type { ToolResult } from '../framework/types.ts';
import { runIdFrom, uniqueId, type AdapterFactory, type ContractOptions } from './contract-helpers.ts';

function result(key: string, output: unknown): ToolResult {
  return { status: 'success', output, fallback_used: false, warnings: [], idempotency_key: key, artifacts: [] };
}

async function entry(options: ContractOptions, input: unknown = { a: 1 }): Promise<ToolCallStart> {
  const run_id = await runIdFrom(options);
  return {
    idempotency_key: `run:${run_id}:node:n1:iter:1:tool:0:${uniqueId('k')}`,
    run_id,
    node_run_id: uniqueId('nr'),
    tool: 'demo_tool',
    input,
    correlation_id: 'corr-1',
    request_id: null,
  };
}

/** Registers the ToolLedger contract tests for the adapter made by `makeLedger`. */
export function runToolLedgerContract(makeLedger: AdapterFactory<ToolLedger>, options: ContractOptions = {}): void {
  describe('ToolLedger contract', () => {
    test('get returns null for an unknown key', async () => {
      const ledger = await makeLedger();
      assert.equal(await ledger.get(uniqueId('missing')), null);
    });

    test('start opens a started entry holding the call fields', async () => {
      const ledger = await makeLedger();
      const e = await entry(options);
      const rec = await ledger.start(e);
      assert.equal(rec.status, 'started');
      assert.equal(rec.result, null);
      assert.equal(rec.attempts, 0);
      assert.equal(rec.finished_at, null);
      assert.equal(typeof rec.started_at, 'string');
      assert.deepEqual(
        { k: rec.idempotency_key, r: rec.run_id, n: rec.node_run_id, t: rec.tool, i: rec.input, c: rec.correlation_id, q: rec.request_id },
        { k: e.idempotency_key, r: e.run_id, n: e.node_run_id, t: e.tool, i: e.input, c: e.correlation_id, q: e.request_id },
      );
      assert.deepEqual(await ledger.get(e.idempotency_key), rec);
    });

    test('finish records status, result, attempts and finished_at', async () => {
      const ledger = await makeLedger();
      const e = await entry(options);
      await ledger.start(e);
      const res = result(e.idempotency_key, { nested: { list: [1, 'two', null, true] }, text: 'héllo ✓' });
      const done = await ledger.finish(e.idempotency_key, { status: 'succeeded', result: res, attempts: 2 });
      assert.equal(done.status, 'succeeded');
      assert.equal(done.attempts, 2);
      assert.equal(typeof done.finished_at, 'string');
      assert.deepEqual(done.result, res);
      assert.deepEqual(await ledger.get(e.idempotency_key), done);
    });

    test('start on a succeeded entry returns it unchanged', async () => {
      const ledger = await makeLedger();
      const e = await entry(options);
      await ledger.start(e);
      const res = result(e.idempotency_key, 42);
      const done = await ledger.finish(e.idempotency_key, { status: 'succeeded', result: res, attempts: 1 });
      const again = await ledger.start({ ...e, input: { changed: true }, node_run_id: uniqueId('nr') });
      assert.deepEqual(again, done);
      assert.deepEqual(await ledger.get(e.idempotency_key), done);
    });

    test('start on a failed entry reopens it as started without a result', async () => {
      const ledger = await makeLedger();
      const e = await entry(options);
      await ledger.start(e);
      const failed: ToolResult = {
        status: 'failed',
        output: null,
        fallback_used: false,
        warnings: [],
        error: { code: 'tool_failed', message: 'boom', details: {}, retryable: false },
        idempotency_key: e.idempotency_key,
        artifacts: [],
      };
      await ledger.finish(e.idempotency_key, { status: 'failed', result: failed, attempts: 1 });
      const reopened = await ledger.start({ ...e, input: { retry: 1 } });
      assert.equal(reopened.status, 'started');
      assert.equal(reopened.result, null);
      assert.equal(reopened.finished_at, null);
      assert.deepEqual(reopened.input, { retry: 1 });
    });

    test('start on an interrupted (started) entry reopens it with the new input', async () => {
      const ledger = await makeLedger();
      const e = await entry(options);
      await ledger.start(e);
      const reopened = await ledger.start({ ...e, input: { second: true } });
      assert.equal(reopened.status, 'started');
      assert.deepEqual(reopened.input, { second: true });
    });

    test('finish on an unknown key rejects', async () => {
      const ledger = await makeLedger();
      const key = uniqueId('missing');
      await assert.rejects(ledger.finish(key, { status: 'succeeded', result: result(key, 1), attempts: 1 }));
    });

    test('keys are independent', async () => {
      const ledger = await makeLedger();
      const a = await entry(options);
      const b = await entry(options);
      await ledger.start(a);
      await ledger.start(b);
      await ledger.finish(a.idempotency_key, { status: 'succeeded', result: result(a.idempotency_key, 'a'), attempts: 1 });
      assert.equal((await ledger.get(b.idempotency_key))?.status, 'started');
    });
  });
}
