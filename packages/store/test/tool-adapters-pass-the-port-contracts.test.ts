import { after, before, describe } from 'node:test';
import {
  runArtifactSinkContract, runAuditSinkContract, runMemoryStoreContract, runMilestoneStoreContract, runPlanStoreContract,
  runRagStoreContract, runToolLedgerContract,
} from '@llmctl/tools/testing';
import { PgArtifactSink, PgAuditSink, PgMemoryStore, PgMilestoneStore, PgPlanStore, PgRagStore, PgToolLedger, newId } from '@llmctl/store';
import { openTestPool, type TestPool } from './support/test-pool.ts';

// One migrated database for every contract test: the suites use unique keys, so they share it without cleanup.
let db: TestPool;

/** A run row the ledger and artifact rows can reference (both tables have a foreign key to runs). */
async function newRunId(): Promise<string> {
  const fc = newId('fc');
  const run = newId('run');
  await db.pool.query(`INSERT INTO flowcharts (id, name, latest_version) VALUES ($1, 'contract', 1)`, [fc]);
  await db.pool.query(`INSERT INTO runs (id, flowchart_id, flowchart_version, status) VALUES ($1, $2, 1, 'running')`, [run, fc]);
  return run;
}

describe('PostgreSQL tool adapters', () => {
  before(async () => {
    db = await openTestPool();
  });
  after(() => db.close());

  runToolLedgerContract(() => new PgToolLedger(db.pool), { newRunId });
  runArtifactSinkContract(() => new PgArtifactSink(db.pool), { newRunId });
  runAuditSinkContract(() => new PgAuditSink(db.pool), { newRunId });
  runMemoryStoreContract(() => new PgMemoryStore(db.pool));
  runPlanStoreContract(() => new PgPlanStore(db.pool));
  runMilestoneStoreContract(() => new PgMilestoneStore(db.pool));
  runRagStoreContract(() => new PgRagStore(db.pool));
});
