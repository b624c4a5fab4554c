import { test } from 'node:test';
import { scenarios } from '../../../test/runtime-rules/scenarios.ts';
import { controlRegressionScenarios, controlScenarios } from '../../../test/runtime-rules/control-scenarios.ts';
import { guardrailScenarios } from '../../../test/runtime-rules/guardrail-scenarios.ts';
import { httpDriver } from '../../../test/runtime-rules/http-driver.ts';
import { startTestServer } from './support/test-server.ts';

// Every runtime.md rule, black-box through the HTTP API of one real server on PostgreSQL.
test('runtime rules through the HTTP API', async (t) => {
  const server = await startTestServer();
  const driver = httpDriver((m, p, b) => server.request(m, p, b), async () => undefined);
  try {
    for (const s of [...scenarios, ...guardrailScenarios, ...controlScenarios, ...controlRegressionScenarios]) {
      await t.test(`api: ${s.name}`, async () => {
        await s.run(driver);
      });
    }
  } finally {
    await server.close();
  }
});
