import { after, before, test } from 'node:test';
import { scenarios } from '../../../test/runtime-rules/scenarios.ts';
import { controlScenarios } from '../../../test/runtime-rules/control-scenarios.ts';
import { httpDriver } from '../../../test/runtime-rules/http-driver.ts';
import type { RulesDriver } from '../../../test/runtime-rules/driver.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Every runtime.md rule, black-box through the HTTP API of a real server on PostgreSQL.
let server: TestServer;
let driver: RulesDriver;
before(async () => {
  server = await startTestServer();
  driver = httpDriver((m, p, b) => server.request(m, p, b), async () => undefined);
});
after(async () => {
  await server.close();
});

for (const s of [...scenarios, ...controlScenarios]) {
  test(`api: ${s.name}`, async () => {
    await s.run(driver);
  });
}
