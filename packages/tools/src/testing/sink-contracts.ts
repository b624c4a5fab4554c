/** The contracts every `ArtifactSink` and `AuditSink` adapter must pass. */
import { validateAgainst } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ArtifactInput, ArtifactSink, AuditSink, ToolAuditRecord } from '../framework/ports.ts';
import { runIdFrom, uniqueId, type AdapterFactory, type ContractOptions } from './contract-helpers.ts';

function artifact(run_id: string, node_run_id: string, name: string, n: number): ArtifactInput {
  const key = `run:${run_id}:node:n:iter:1:tool:${n}`;
  return { id: `${key}:artifact:0`, run_id, node_run_id, idempotency_key: key, kind: 'memory', name, media_type: 'application/json', content: { n } };
}

/** Registers the ArtifactSink contract tests for the adapter made by `makeSink`. */
export function runArtifactSinkContract(makeSink: AdapterFactory<ArtifactSink>, options: ContractOptions = {}): void {
  describe('ArtifactSink contract', () => {
    test('persist stores version 1 of a new artifact, valid against the artifact contract', async () => {
      const sink = await makeSink();
      const run = await runIdFrom(options);
      const a = artifact(run, uniqueId('nr'), 'notes', 0);
      const stored = await sink.persist(a);
      assert.equal(stored.id, a.id);
      assert.equal(stored.version, 1);
      assert.deepEqual(stored.content, { n: 0 });
      assert.deepEqual(validateAgainst('artifact', stored).errors, []);
    });

    test('persisting the same id again stores nothing and returns the stored artifact', async () => {
      const sink = await makeSink();
      const run = await runIdFrom(options);
      const a = artifact(run, uniqueId('nr'), 'notes', 0);
      const first = await sink.persist(a);
      const second = await sink.persist({ ...a, content: { changed: true } });
      assert.deepEqual(second, first);
      assert.equal((await sink.list({ run_id: run })).length, 1);
    });

    test('versions count per run, kind and name', async () => {
      const sink = await makeSink();
      const run = await runIdFrom(options);
      const nr = uniqueId('nr');
      assert.equal((await sink.persist(artifact(run, nr, 'notes', 0))).version, 1);
      assert.equal((await sink.persist(artifact(run, nr, 'notes', 1))).version, 2);
      assert.equal((await sink.persist(artifact(run, nr, 'other', 2))).version, 1);
    });

    test('list filters by run and node run, oldest first', async () => {
      const sink = await makeSink();
      const run = await runIdFrom(options);
      const nr1 = uniqueId('nr');
      const nr2 = uniqueId('nr');
      const a = await sink.persist(artifact(run, nr1, 'x', 0));
      const b = await sink.persist(artifact(run, nr2, 'y', 1));
      assert.deepEqual((await sink.list({ run_id: run })).map((r) => r.id), [a.id, b.id]);
      assert.deepEqual((await sink.list({ run_id: run, node_run_id: nr2 })).map((r) => r.id), [b.id]);
    });

    test('an artifact with a uri keeps the uri and no content', async () => {
      const sink = await makeSink();
      const run = await runIdFrom(options);
      const { content: _c, ...rest } = artifact(run, uniqueId('nr'), 'link', 0);
      const stored = await sink.persist({ ...rest, uri: 'https://example.com/report.pdf', media_type: 'application/pdf' });
      assert.equal(stored.uri, 'https://example.com/report.pdf');
      assert.equal(stored.content, undefined);
      assert.deepEqual(validateAgainst('artifact', stored).errors, []);
    });
  });
}

/** Registers the AuditSink contract tests for the adapter made by `makeSink`. */
export function runAuditSinkContract(makeSink: AdapterFactory<AuditSink>, options: ContractOptions = {}): void {
  describe('AuditSink contract', () => {
    test('written records are listed by idempotency key, oldest first, fields intact', async () => {
      const sink = await makeSink();
      const run_id = await runIdFrom(options);
      const key = `run:${run_id}:node:n:iter:1:tool:0`;
      const base: ToolAuditRecord = {
        tool: 'demo',
        idempotency_key: key,
        correlation_id: 'c1',
        request_id: 'r1',
        run_id,
        node_run_id: uniqueId('nr'),
        status: 'failed',
        attempts: 2,
        duration_ms: 12,
        error: { code: 'tool_timeout', message: 'slow', details: { timeout_ms: 5 }, retryable: true },
        created_at: new Date().toISOString(),
      };
      const { error: _e, ...success } = base;
      await sink.write(base);
      await sink.write({ ...success, status: 'replayed', attempts: 0 });
      const listed = await sink.list({ idempotency_key: key });
      assert.equal(listed.length, 2);
      const [first, second] = listed;
      assert.deepEqual({ ...first, created_at: base.created_at }, base);
      assert.equal(second?.status, 'replayed');
      assert.equal(second?.error, undefined);
      assert.deepEqual(await sink.list({ idempotency_key: uniqueId('other') }), []);
    });
  });
}
