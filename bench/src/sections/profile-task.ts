import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { passThroughNotApplicable } from '../engines.ts';
import { LlmctlDriver } from '../llmctl-driver.ts';
import { llmctlDocument } from '../llmctl-graphs.ts';
import type { Shape } from '../workloads.ts';

/**
 * Runs one shape (llmctl pass-through; task nodes for a loop) under the V8 CPU profiler (the profiler `node --cpu-prof` uses, started
 * around the measured run only, after a warm-up run) and writes the `.cpuprofile` to `file`.
 */
export async function profileTask(url: string, shape: Shape, file: string): Promise<{ ms: number; file: string; variant: 'pass' | 'task' }> {
  const variant = passThroughNotApplicable(shape) ? 'task' : 'pass';
  const d = await LlmctlDriver.open(url);
  const session = new Session();
  session.connect();
  try {
    const id = await d.save(llmctlDocument(shape, variant));
    await d.runOk(id);
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const r = await d.runOk(id);
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    return { ms: r.ms, file, variant };
  } finally {
    session.disconnect();
    await d.close();
  }
}
