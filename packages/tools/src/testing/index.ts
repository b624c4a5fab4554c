/**
 * Port contract suites (`@llmctl/tools/testing`): call one from a `node:test` file with a factory of your adapter,
 * e.g. `runToolLedgerContract(() => new PgToolLedger(pool), { newRunId: () => insertRun(pool) })`. Every suite uses
 * unique keys, so adapters may share a database without cleanup between tests.
 */
export * from './contract-helpers.ts';
export * from './tool-ledger-contract.ts';
export * from './sink-contracts.ts';
export * from './memory-store-contract.ts';
export * from './keyed-store-contracts.ts';
export * from './rag-store-contract.ts';
