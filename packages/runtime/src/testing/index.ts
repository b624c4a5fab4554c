/** Port contract suites of the runtime (`@llmctl/runtime/testing`), run by every adapter's tests. */
export { runRunStoreContract } from './run-store-contract.ts';
export { runFlowchartSourceContract } from './flowchart-source-contract.ts';
export { runRunLogContract } from './run-log-contract.ts';
export { runRunLeasesContract } from './run-leases-contract.ts';
export { runRunQueriesContract } from './run-queries-contract.ts';
export type { RunStoreFixture, OpenFixture } from './contract-helpers.ts';
