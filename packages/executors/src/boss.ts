import PgBoss from 'pg-boss';
import type pg from 'pg';
import { BOSS_SCHEMA, bossDatabase, withAdvisoryLock } from '@llmctl/store';
import { queueNameOf } from './ids.ts';

export { BOSS_SCHEMA };

/** Executor classes (executors.md "Roles"). */
export const EXECUTOR_CLASSES = ['frontier', 'vllm'] as const;
export type ExecutorClass = (typeof EXECUTOR_CLASSES)[number];

/**
 * Starts pg-boss on `pool` (schema `pgboss`, created and migrated on first use, serialised across processes by an
 * advisory lock) and makes sure the class queues exist. Queue jobs never retry by themselves (`retryLimit: 0`): a lost
 * attempt is re-dispatched by the run's owner as a new attempt, under the node's retry policy.
 */
export async function startBoss(pool: pg.Pool, o: { supervise?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({ db: bossDatabase(pool), schema: BOSS_SCHEMA, supervise: o.supervise ?? false, schedule: false, migrate: true });
  boss.on('error', () => undefined);
  await withAdvisoryLock(pool, 'llmctl:pgboss:start', async () => {
    await boss.start();
    for (const cls of EXECUTOR_CLASSES) {
      await boss.createQueue(queueNameOf(cls), { name: queueNameOf(cls), retryLimit: 0, expireInSeconds: 23 * 3600, retentionMinutes: 60 });
    }
  });
  return boss;
}
