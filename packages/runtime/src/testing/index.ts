/** Port contract suites of the runtime (`@llmctl/runtime/testing`), run by every adapter's tests. */
export { runRunStoreContract } from './run-store-contract.ts';
export type { RunStoreFixture } from './run-store-contract.ts';
