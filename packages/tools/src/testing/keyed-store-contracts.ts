/** The contracts every `PlanStore` and `MilestoneStore` adapter must pass (read-modify-write stores). */
import { LlmctlError } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MilestoneStore } from '../domains/milestone/milestone-store.ts';
import type { PlanStore } from '../domains/plan/plan-store.ts';
import { uniqueId, type AdapterFactory } from './contract-helpers.ts';

/** Registers the PlanStore contract tests for the adapter made by `makeStore`. */
export function runPlanStoreContract(makeStore: AdapterFactory<PlanStore>): void {
  describe('PlanStore contract', () => {
    test('get returns null for an unknown plan', async () => {
      const store = await makeStore();
      assert.equal(await store.get(uniqueId('run'), 'p'), null);
    });

    test('update creates a plan from null and get returns it', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      let seen: unknown = 'not called';
      const rec = await store.update(run, 'launch', (current) => {
        seen = current;
        return { flowchart_id: 'fc', items: [{ key: 'a', title: 'Write ✓', status: 'pending' }], status: 'open' };
      });
      assert.equal(seen, null);
      assert.deepEqual(
        { ...rec, updated_at: '' },
        { run_id: run, plan_key: 'launch', flowchart_id: 'fc', items: [{ key: 'a', title: 'Write ✓', status: 'pending' }], status: 'open', updated_at: '' },
      );
      assert.ok(!Number.isNaN(Date.parse(rec.updated_at)));
      assert.deepEqual(await store.get(run, 'launch'), rec);
    });

    test('update passes the current plan to mutate', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      await store.update(run, 'p', () => ({ flowchart_id: null, items: [{ key: 'a', title: 'A', status: 'pending' }], status: 'open' }));
      const rec = await store.update(run, 'p', (current) => ({
        flowchart_id: current?.flowchart_id ?? null,
        items: (current?.items ?? []).map((i) => ({ ...i, status: 'completed' as const })),
        status: 'completed',
      }));
      assert.deepEqual(rec.items, [{ key: 'a', title: 'A', status: 'completed' }]);
      assert.equal(rec.status, 'completed');
    });

    test('a throwing mutate writes nothing and rejects with its error', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      const before = await store.update(run, 'p', () => ({ flowchart_id: null, items: [], status: 'open' }));
      await assert.rejects(
        store.update(run, 'p', () => {
          throw new LlmctlError('plan_item_not_found', 'nope');
        }),
        (e: unknown) => e instanceof LlmctlError && e.code === 'plan_item_not_found',
      );
      assert.deepEqual(await store.get(run, 'p'), before);
      await assert.rejects(store.update(run, 'never-created', () => { throw new Error('x'); }));
      assert.equal(await store.get(run, 'never-created'), null);
    });

    test('concurrent updates of one plan lose no write', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.update(run, 'p', (current) => ({
            flowchart_id: null,
            items: [...(current?.items ?? []), { key: `k${i}`, title: `T${i}`, status: 'pending' as const }],
            status: 'open',
          })),
        ),
      );
      assert.equal((await store.get(run, 'p'))?.items.length, 8);
    });

    test('list filters by run and flowchart, most recently updated first', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      const fc = uniqueId('fc');
      await store.update(run, 'a', () => ({ flowchart_id: fc, items: [], status: 'open' }));
      await store.update(run, 'b', () => ({ flowchart_id: null, items: [], status: 'open' }));
      assert.deepEqual((await store.list({ run_id: run })).map((p) => p.plan_key), ['b', 'a']);
      assert.deepEqual((await store.list({ flowchart_id: fc })).map((p) => p.plan_key), ['a']);
    });
  });
}

/** Registers the MilestoneStore contract tests for the adapter made by `makeStore`. */
export function runMilestoneStoreContract(makeStore: AdapterFactory<MilestoneStore>): void {
  describe('MilestoneStore contract', () => {
    test('get returns null for an unknown milestone', async () => {
      const store = await makeStore();
      assert.equal(await store.get(uniqueId('run'), 'm'), null);
    });

    test('update creates a milestone from null and get returns it', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      let seen: unknown = 'not called';
      const rec = await store.update(run, 'beta', (current) => {
        seen = current;
        return { flowchart_id: 'fc', title: 'Beta', status: 'open' };
      });
      assert.equal(seen, null);
      assert.deepEqual({ ...rec, updated_at: '' }, { run_id: run, milestone_key: 'beta', flowchart_id: 'fc', title: 'Beta', status: 'open', updated_at: '' });
      assert.deepEqual(await store.get(run, 'beta'), rec);
    });

    test('update passes the current milestone and stores the change', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      await store.update(run, 'm', () => ({ flowchart_id: null, title: 'M', status: 'open' }));
      const rec = await store.update(run, 'm', (current) => ({ flowchart_id: null, title: current?.title ?? '?', status: 'completed' }));
      assert.equal(rec.title, 'M');
      assert.equal(rec.status, 'completed');
    });

    test('a throwing mutate writes nothing', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      await assert.rejects(store.update(run, 'm', () => { throw new Error('x'); }));
      assert.equal(await store.get(run, 'm'), null);
    });

    test('concurrent updates of one milestone lose no write', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.update(run, 'm', (current) => ({ flowchart_id: null, title: `${current?.title ?? ''}x`, status: 'open' })),
        ),
      );
      assert.equal((await store.get(run, 'm'))?.title, 'xxxxxxxx');
    });

    test('list filters by run and flowchart, most recently updated first', async () => {
      const store = await makeStore();
      const run = uniqueId('run');
      const fc = uniqueId('fc');
      await store.update(run, 'a', () => ({ flowchart_id: fc, title: 'A', status: 'open' }));
      await store.update(run, 'b', () => ({ flowchart_id: null, title: 'B', status: 'open' }));
      assert.deepEqual((await store.list({ run_id: run })).map((m) => m.milestone_key), ['b', 'a']);
      assert.deepEqual((await store.list({ flowchart_id: fc })).map((m) => m.milestone_key), ['a']);
    });
  });
}
