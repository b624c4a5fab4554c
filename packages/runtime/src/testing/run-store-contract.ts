/**
 * The run store's port contracts (`@llmctl/runtime/testing`): one suite per narrow port — `FlowchartSource`,
 * `RunLog`, `RunLeases`, `RunQueries` — that every adapter (the in-memory one and the PostgreSQL one) must pass, so
 * the runtime's guarantees (gap-free logs, fencing by sequence and lease epoch, atomic continue-as-new, takeover of
 * dead owners' runs, snapshots) do not depend on which store it runs on.
 *
 *   runRunStoreContract('PostgreSQL', async () => ({ store: new PgRunStore(pool), flowchartId: await oneFlowchart() }));
 */
import type { OpenFixture } from './contract-helpers.ts';
import { runFlowchartSourceContract } from './flowchart-source-contract.ts';
import { runRunLeasesContract } from './run-leases-contract.ts';
import { runRunLogContract } from './run-log-contract.ts';
import { runRunQueriesContract } from './run-queries-contract.ts';

export type { RunStoreFixture } from './contract-helpers.ts';

/** Registers every port's contract tests for one adapter. `open` is called once per test. */
export function runRunStoreContract(adapter: string, open: OpenFixture): void {
  runFlowchartSourceContract(adapter, open);
  runRunLogContract(adapter, open);
  runRunLeasesContract(adapter, open);
  runRunQueriesContract(adapter, open);
}
