import { test } from 'node:test';
import { scenarios } from '../../../test/runtime-rules/scenarios.ts';
import { memoryDriver } from '../../../test/runtime-rules/memory-driver.ts';
import { controlRegressionScenarios, controlScenarios } from '../../../test/runtime-rules/control-scenarios.ts';
import { guardrailScenarios } from '../../../test/runtime-rules/guardrail-scenarios.ts';

// Every runtime.md rule as an engine-level test: orchestrator + engine on the in-memory store.
for (const s of [...scenarios, ...guardrailScenarios]) {
  test(`engine: ${s.name}`, async () => {
    const d = await memoryDriver();
    try {
      await s.run(d);
    } finally {
      await d.close();
    }
  });
}

for (const s of [...controlScenarios, ...controlRegressionScenarios]) {
  test(`engine control: ${s.name}`, async () => {
    const d = await memoryDriver();
    try {
      await s.run(d);
    } finally {
      await d.close();
    }
  });
}
