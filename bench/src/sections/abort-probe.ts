import type { FlowchartDocument } from '@llmctl/contracts';
import { InMemoryRunStore, Orchestrator, endHandler, startHandler } from '@llmctl/runtime';

/** What the abort signal of a node run that finished normally did. */
export interface AbortProbe {
  nodeRuns: number;
  /** Node runs whose abort signal fired after their handler had returned successfully. */
  abortedAfterSuccess: number;
  /** The abort reason of the first one. */
  reason: string | null;
}

/**
 * Runs start → a → b → end on the orchestrator with the in-memory store and a handler that watches its abort
 * signal: a node whose handler returned normally should never see its signal abort.
 */
export async function probeAbortAfterSuccess(): Promise<AbortProbe> {
  const store = new InMemoryRunStore();
  let n = 0;
  const aborted: string[] = [];
  let ran = 0;
  const orchestrator = new Orchestrator({
    store, newId: (p) => `${p}_${++n}`,
    handlers: {
      start: startHandler, end: endHandler,
      task: async (x) => {
        ran += 1;
        x.signal.addEventListener('abort', () => aborted.push(String((x.signal.reason as Error | undefined)?.message ?? x.signal.reason)));
        return { output: { ok: true } };
      },
    },
  });
  const doc: FlowchartDocument = {
    schema_version: 1, name: 'abort probe',
    nodes: [{ id: 'start', type: 'start' }, { id: 'a', type: 'task', config: { model: 'm', prompt: 'p' } }, { id: 'b', type: 'task', config: { model: 'm', prompt: 'p' } }, { id: 'end', type: 'end' }],
    edges: [{ id: 'e1', source: 'start', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }, { id: 'e3', source: 'b', target: 'end' }],
  };
  store.putFlowchart('fc_probe', doc);
  await orchestrator.start();
  try {
    const done = new Promise<void>((resolve) => orchestrator.bus.onEvent((e) => {
      const p = e.payload as { kind?: string; status?: string };
      if (p.kind === 'run.status' && (p.status === 'succeeded' || p.status === 'failed')) resolve();
    }));
    await orchestrator.startRun('fc_probe', { input: {} }, { request_id: null, correlation_id: null });
    await done;
    await new Promise((r) => setTimeout(r, 20));
    return { nodeRuns: ran, abortedAfterSuccess: aborted.length, reason: aborted[0] ?? null };
  } finally {
    await orchestrator.stop();
  }
}
