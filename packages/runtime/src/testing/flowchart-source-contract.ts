import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenFixture } from './contract-helpers.ts';

/** The `FlowchartSource` port: versions of a flowchart, the latest one, and null for what does not exist. */
export function runFlowchartSourceContract(adapter: string, open: OpenFixture): void {
  test(`${adapter} flowchart source: a version is read back, the latest by default, and unknown ids are null`, async () => {
    const f = await open();
    try {
      const source = f.store; // only FlowchartSource methods below
      const v1 = await source.getFlowchartVersion(f.flowchartId, 1);
      assert.equal(v1?.version, 1);
      assert.equal(v1?.document.name, 'contract');
      const latest = await source.latestVersion(f.flowchartId);
      assert.ok(latest !== null && latest >= 1);
      assert.equal((await source.getFlowchartVersion(f.flowchartId))?.version, latest);
      assert.equal(await source.getFlowchartVersion(f.flowchartId, 999), null);
      assert.equal(await source.latestVersion('fc_does_not_exist'), null);
      assert.equal(await source.getFlowchartVersion('fc_does_not_exist'), null);
    } finally {
      await f.close?.();
    }
  });
}
