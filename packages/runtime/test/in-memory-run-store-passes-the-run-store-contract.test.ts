import { InMemoryRunStore } from '../src/index.ts';
import { runRunStoreContract } from '../src/testing/index.ts';

runRunStoreContract('in-memory', async () => {
  const store = new InMemoryRunStore();
  store.putFlowchart('fc_contract', { schema_version: 1, name: 'contract', nodes: [{ id: 's', type: 'start' }], edges: [] } as never);
  return { store, flowchartId: 'fc_contract' };
});
