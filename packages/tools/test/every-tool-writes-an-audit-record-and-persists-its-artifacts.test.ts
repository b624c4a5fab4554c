import { validateAgainst } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { makeCtx } from './helpers.ts';
import { TOOL_CASES } from './tool-cases.ts';

for (const c of TOOL_CASES) {
  test(`${c.name}: a call is audited and its artifacts reach the sink`, async () => {
    const env = await c.setup();
    try {
      const { ctx, audit, artifacts, spans } = makeCtx(env.workspace);
      const call = ctx();
      const result = await invokeTool(new ToolRegistry([env.tool]), c.name, c.valid, call);
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      assert.deepEqual(validateAgainst('tool-result', result).errors, []);
      assert.equal(audit.records.length, 1);
      assert.deepEqual(
        { tool: audit.records[0]?.tool, key: audit.records[0]?.idempotency_key, status: audit.records[0]?.status, corr: audit.records[0]?.correlation_id },
        { tool: c.name, key: call.idempotency_key, status: 'success', corr: 'corr-1' },
      );
      assert.equal(spans.length, 1);
      if (c.artifactKind) {
        assert.deepEqual(artifacts.persisted.map((a) => a.kind), [c.artifactKind]);
        assert.deepEqual(validateAgainst('artifact', artifacts.persisted[0]).errors, []);
        assert.deepEqual(result.artifacts.map((a) => a.kind), [c.artifactKind]);
      } else {
        assert.equal(artifacts.persisted.length, 0);
      }
    } finally {
      env.cleanup();
    }
  });
}
