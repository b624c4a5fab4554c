/**
 * Main-thread CPU of one scripted task node's model call (issue 17, "Task-node CPU per model call"): the `task`
 * handler as the runtime runs it (template, model gateway with cached rows, scripted provider, journal, digest,
 * redaction, the model-call record handed back for the node's commit), without the engine, the store or PostgreSQL.
 * Not a test: prints µs per task node (median of rounds).
 *
 *   node --import tsx bench/src/task-call-cpu.ts [--calls 20000] [--rounds 7]
 */
import { parseArgs } from 'node:util';
import type { FlowchartNode } from '@llmctl/contracts';
import { taskHandler, type ModelCallRecord, type NodeExecution } from '@llmctl/runtime';
import type { Model, ModelRepository } from '@llmctl/store';
import { RegistryModelGateway } from '../../apps/server/src/runtime/model-gateway.ts';
import { BENCH_MODEL, BENCH_MODEL_INPUT } from './llmctl-graphs.ts';

const { values } = parseArgs({ options: { calls: { type: 'string' }, rounds: { type: 'string' } } });
const CALLS = Number(values.calls ?? 20_000);
const ROUNDS = Number(values.rounds ?? 7);

const row = { id: 'mod_1', ...BENCH_MODEL_INPUT, base_url: null, updated_at: '2026-12-06T00:00:00.000Z' } as unknown as Model;
const repo = { findByName: async (name: string) => (name === BENCH_MODEL ? row : undefined) } as unknown as ModelRepository;
const gateway = new RegistryModelGateway(repo);
gateway.cacheModelRows();
let n = 0;
let kept = 0;
const handler = taskHandler({
  models: gateway,
  calls: {
    record: async () => undefined, countScripted: async () => 0, observe: (c: ModelCallRecord) => { kept += c.status === 'succeeded' ? 1 : 0; },
  } as never,
  newId: (p) => `${p}_${(n++).toString(36)}`,
});
const node: FlowchartNode = { id: 'w1', type: 'task', config: { model: BENCH_MODEL, prompt: 'step {{node.id}}' } };

function execution(i: number): NodeExecution {
  const ac = new AbortController();
  return {
    run: { id: 'run_1', flowchart_id: 'fc_1', flowchart_version: 1, input: {}, started_at: null, correlation_id: null, request_id: null },
    graph: {} as never, node,
    nodeRun: { id: `nr_${i}`, idempotency_key: `run_1:w1:${i}`, attempts: [{}], retry_of: null } as never,
    scope: { input: {}, upstream: {}, context: {}, node: { id: node.id }, run: { id: 'run_1' } } as never,
    triggering: null, attempt: 1, signal: ac.signal, emitToken: () => undefined, warn: () => undefined, modelCallsInCommit: true,
  };
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const perRound: number[] = [];
for (let r = -1; r < ROUNDS; r++) {
  const c0 = cpuUs();
  for (let i = 0; i < CALLS; i++) {
    const res = await handler(execution(i));
    if (!res.model_calls || res.model_calls.length !== 1) throw new Error('expected one deferred model-call record');
  }
  if (r >= 0) perRound.push((cpuUs() - c0) / CALLS);
}
perRound.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ what: 'task node model call, CPU µs per node', calls: CALLS, rounds: ROUNDS, median: perRound[ROUNDS >> 1], min: perRound[0], max: perRound[ROUNDS - 1], records: kept })}\n`);
