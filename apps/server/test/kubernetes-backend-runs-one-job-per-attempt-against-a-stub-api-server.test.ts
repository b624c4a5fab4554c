import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { EXECUTOR_RESULT_PREFIX, EXECUTOR_STARTED_MARKER } from '@llmctl/contracts';
import { DEFAULT_KUBERNETES_SETTINGS, KubernetesBackend, buildPayload, type ExecutorImages, type KubernetesSettings } from '@llmctl/executors';
import { FlowchartRepository, PgModelCallLog, createPool } from '@llmctl/store';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { composeRuntime } from '../src/runtime/compose-runtime.ts';
import { KubeStub } from './support/kube-stub.ts';
import { until } from './support/queue-workers.ts';

const SETTINGS: KubernetesSettings = { ...DEFAULT_KUBERNETES_SETTINGS, namespace: 'llmctl', image_pull_secrets: ['regcred'], job_ttl_s: 600, execution_timeout_s: 900, gpu_limit: 1 };
const IMAGES: ExecutorImages = {
  frontier: { repository: 'registry.example/llmctl-executor-frontier', tag: '1.2.3', digest: null },
  vllm: { repository: 'registry.example/llmctl-executor-vllm', tag: '1.2.3', digest: `sha256:${'a'.repeat(64)}` },
  vllm_cpu: null,
};

function flow(model: string, extra: Record<string, unknown> = {}) {
  return {
    schema_version: 1, name: `k8s ${model}`,
    nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model, prompt: 'hello {{input.name}}' }, ...extra }, { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
  };
}

test('kubernetes backend against a stub API server', { timeout: 300_000 }, async (t) => {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 6 });
  const stub = new KubeStub();
  await stub.start();
  const dir = await mkdtemp(join(tmpdir(), 'k8s-test-'));
  const kc = new KubeConfig();
  kc.loadFromFile(await stub.kubeconfig(dir));
  const calls = new PgModelCallLog(pool);
  const backend = new KubernetesBackend({
    // changes come through the watch only: the resync fallback is far beyond any test's duration
    pool, kubeConfig: kc, resyncMs: 600_000, watchRestartMs: 50,
    settings: () => Promise.resolve({ kubernetes: SETTINGS, images: IMAGES }),
    payloadFor: (row, x) => buildPayload(row, x, async (name) => {
      const m = (await pool.query(`SELECT name, provider, model, base_url, settings FROM models WHERE name = $1`, [name])).rows[0];
      return m ? { ...m, api_key: m.provider === 'scripted' ? null : `key-of-${name}` } : null;
    }),
    recordCall: (c) => calls.record(c),
    timeoutsMs: { dispatch: 400, gpuSchedule: 300, request: 400, deleteGrace: 20 },
  });
  const { orchestrator } = composeRuntime({ pool, executors: { kubernetes: backend }, logError: () => undefined });
  await orchestrator.start();
  const fcs = new FlowchartRepository(pool);
  try {
    await pool.query(`INSERT INTO runtime_settings (id, settings) VALUES (1, '{"executor":"kubernetes"}') ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings`);
    await pool.query(`INSERT INTO models (id, name, provider, model, base_url, settings) VALUES
      ('mdl_f', 'fm', 'scripted', 'scripted', NULL, '{"responses":[{"output":"hi {{input.name}}"}]}'),
      ('mdl_o', 'other', 'openai', 'gpt-x', NULL, '{}'),
      ('mdl_g', 'gm', 'vllm', 'qwen', NULL, '{}')`);

    const start = async (doc: object) => {
      const fc = await fcs.create({ document: doc as never });
      return orchestrator.startRun(fc.id, { input: { name: 'Ada' } }, { request_id: null, correlation_id: null });
    };
    const jobOf = (runId: string, profile = '') => until(async () => [...stub.jobs.values()].find((j) => j.metadata?.labels?.['llmctl.run_id'] === runId && (profile ? j.metadata!.name!.endsWith(`-${profile}`) : !j.metadata!.name!.endsWith('-cpu'))), `a Job of ${runId}`);
    const finished = (runId: string) => until(async () => {
      const r = (await pool.query(`SELECT status, error FROM runs WHERE id = $1`, [runId])).rows[0];
      return ['succeeded', 'failed', 'canceled'].includes(r.status) && r;
    }, `run ${runId} to finish`);
    // The output is stored once, in the event that logged it (node_runs.output_seq names it; docs/architecture.md).
    const nodeA = async (runId: string) => (await pool.query(
      `SELECT n.outcome, n.degraded_reason, n.warnings, n.error, CASE WHEN n.output_seq IS NULL THEN n.output ELSE e.payload->'output' END AS output
       FROM node_runs n LEFT JOIN run_events e ON e.run_id = n.run_id AND e.sequence = n.output_seq
       WHERE n.run_id = $1 AND n.node_id = 'a'`, [runId])).rows[0];
    const dispatches = async (runId: string) => (await pool.query(`SELECT state, job_id, worker_id, image, degraded_reason, error->>'code' AS code FROM executor_dispatches WHERE run_id = $1 ORDER BY sequence`, [runId])).rows;
    const resultLog = (dispatchId: string, output: unknown) =>
      `${EXECUTOR_STARTED_MARKER}\nvllm warming up\n${EXECUTOR_RESULT_PREFIX}${JSON.stringify({ v: 1, ok: true, dispatch_id: dispatchId, result: { output, warnings: [] } })}\n`;

    await t.test('success: one Job + owned payload Secret, labels, limits, no secret in env or command; the result comes from the pod log', async () => {
      const runId = await start(flow('fm'));
      const job = await jobOf(runId);
      const name = job.metadata!.name!;
      assert.match(name, /^llmctl-[0-9a-f]{20}$/);
      assert.equal(job.spec!.backoffLimit, 0);
      assert.equal(job.spec!.activeDeadlineSeconds, 900);
      assert.equal(job.spec!.ttlSecondsAfterFinished, 600);
      const labels = job.metadata!.labels!;
      assert.equal(labels['llmctl.run_id'], runId);
      assert.equal(labels['llmctl.attempt'], '1');
      assert.ok(labels['llmctl.node_run_id']);
      const pod = job.spec!.template.spec!;
      assert.deepEqual(pod.imagePullSecrets, [{ name: 'regcred' }]);
      const c = pod.containers[0]!;
      assert.equal(c.image, 'registry.example/llmctl-executor-frontier:1.2.3');
      assert.deepEqual(c.resources!.limits, SETTINGS.resources.frontier.limits);
      assert.deepEqual(c.command, ['llmctl', 'executor', 'run', '--payload-file', '/var/run/llmctl/payload.json']);
      assert.deepEqual(c.env, [{ name: 'LLMCTL_EXECUTOR_CLASS', value: 'frontier' }]);
      const secret = await until(async () => stub.secrets.get(name), 'the payload Secret');
      assert.deepEqual(secret.metadata!.ownerReferences!.map((o) => [o.kind, o.name, o.uid]), [['Job', name, job.metadata!.uid]]);
      const payload = JSON.parse(Buffer.from(secret.data!['payload.json']!, 'base64').toString());
      assert.deepEqual(payload.models.map((m: { name: string }) => m.name), ['fm'], 'only the models of this node');
      await until(async () => (await dispatches(runId))[0]?.state === 'submitted', 'dispatch submitted');
      await stub.runExecutor(name);
      const run = await finished(runId);
      assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
      assert.deepEqual((await nodeA(runId)).output, { text: 'hi Ada' });
      assert.deepEqual(await dispatches(runId), [{ state: 'finished', job_id: name, worker_id: `${name}-pod`, image: c.image, degraded_reason: null, code: null }]);
      assert.equal((await pool.query(`SELECT count(*)::int AS n FROM model_calls WHERE run_id = $1`, [runId])).rows[0].n, 1, 'the executor\'s model call is recorded');
      assert.ok(stub.watchStarts >= 2, 'Jobs and pods are watched');
    });

    await t.test('streamed model text: token lines of the pod log reach the owner as flowchart:node:token while the pod runs, in order, once, before the result', async () => {
      const runId = await start(flow('fm'));
      const job = await jobOf(runId);
      const name = job.metadata!.name!;
      const dispatchId = job.metadata!.annotations!['llmctl.dispatch_id']!;
      const got: string[] = [];
      let succeededAfter = -1;
      const off = orchestrator.bus.onTransient((e) => {
        if (e.run_id === runId && e.event_type === 'flowchart:node:token') got.push((e.payload as { delta: string }).delta);
      });
      const offLogged = orchestrator.bus.onEvent((e) => {
        const ev = e.payload as { kind?: string; node_id?: string };
        if (e.run_id === runId && ev.kind === 'node.succeeded' && ev.node_id === 'a') succeededAfter = got.length;
      });
      try {
        const tok = (s: number, t: string) => `LLMCTL_EXECUTOR_TOKEN=${JSON.stringify({ s, t })}\n`;
        stub.setPod(name, { phase: 'Running' }, `${EXECUTOR_STARTED_MARKER}\n`);
        const pod = stub.podOf(name)!.metadata!.name!;
        stub.appendLog(pod, tok(0, 'Hel') + tok(1, 'lo, '));
        await until(async () => got.length === 2, 'the first tokens while the pod still runs');
        assert.deepEqual(got, ['Hel', 'lo, ']);
        // the stream is cut before the last token line; the complete log at the end still has it
        const rest = tok(2, 'Ada') + resultLog(dispatchId, 'Hello, Ada').slice(EXECUTOR_STARTED_MARKER.length + 1);
        stub.setPod(name, { phase: 'Succeeded' }, `${EXECUTOR_STARTED_MARKER}\n${tok(0, 'Hel')}${tok(1, 'lo, ')}${rest}`);
        const run = await finished(runId);
        assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
        assert.deepEqual(got, ['Hel', 'lo, ', 'Ada'], 'each token once, in order');
        assert.equal(succeededAfter, 3, 'every token before node a succeeded');
      } finally {
        off();
        offLogged();
      }
    });

    await t.test('the real executor entrypoint prints token lines that the owner streams (scripted model)', async () => {
      const runId = await start(flow('fm'));
      const got: string[] = [];
      const off = orchestrator.bus.onTransient((e) => {
        if (e.run_id === runId && e.event_type === 'flowchart:node:token') got.push((e.payload as { delta: string }).delta);
      });
      try {
        const name = (await jobOf(runId)).metadata!.name!;
        const out = await stub.runExecutor(name);
        assert.match(out, /^LLMCTL_EXECUTOR_TOKEN=/m);
        assert.equal((await finished(runId)).status, 'succeeded');
        assert.equal(got.join(''), 'hi Ada');
      } finally {
        off();
      }
    });

    await t.test('a dropped watch connection recovers: the watch is restarted and the result still arrives through it', async () => {
      const runId = await start(flow('fm'));
      const name = (await jobOf(runId)).metadata!.name!;
      stub.setPod(name, { phase: 'Running' });
      await until(async () => (await dispatches(runId))[0]?.state === 'confirmed', 'the pod running (seen through the watch)');
      const starts = stub.watchStarts;
      stub.dropWatches();
      await until(async () => stub.watchStarts >= starts + 2, 'both watches re-established');
      await stub.runExecutor(name);
      const run = await finished(runId);
      assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    });

    const failing: [string, (job: string) => void, string][] = [
      ['image pull failure', (j) => stub.setPod(j, { phase: 'Pending', containerStatuses: [{ name: 'executor', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'pull access denied' } } }] }), 'image_pull_failed'],
      ['eviction', (j) => stub.setPod(j, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }), 'pod_evicted'],
      ['execution timeout', (j) => { stub.setPod(j, { phase: 'Running' }); stub.failJob(j, 'DeadlineExceeded', 'Job was active longer than specified deadline'); }, 'execution_timeout'],
      ['dispatch timeout (the pod never starts)', () => undefined, 'dispatch_timeout'],
      ['a result line off the contract', (j) => stub.setPod(j, { phase: 'Succeeded' }, `${EXECUTOR_STARTED_MARKER}\n${EXECUTOR_RESULT_PREFIX}{"v":1,"ok":true}\n`), 'result_invalid'],
    ];
    for (const [what, act, code] of failing) {
      await t.test(`${what} fails the node with ${code} and removes the Job`, async () => {
        const runId = await start(flow('fm'));
        const name = (await jobOf(runId)).metadata!.name!;
        act(name);
        const run = await finished(runId);
        assert.equal(run.status, 'failed');
        assert.equal((await nodeA(runId)).error.code, code);
        assert.equal((await dispatches(runId))[0].state, 'failed');
        if (code !== 'result_invalid') assert.ok(stub.deletedJobs.some((d) => d.name === name), 'the Job was deleted');
      });
    }

    await t.test('GPU unschedulable past gpu_schedule_timeout_s: the Job is deleted and the attempt re-dispatched on the CPU image, degraded with a warning', async () => {
      const runId = await start(flow('gm'));
      const gpuJob = await jobOf(runId);
      const gpuName = gpuJob.metadata!.name!;
      assert.equal(gpuJob.spec!.template.spec!.containers[0]!.resources!.limits!['nvidia.com/gpu'], '1');
      assert.equal(gpuJob.spec!.template.spec!.containers[0]!.image, `registry.example/llmctl-executor-vllm@sha256:${'a'.repeat(64)}`);
      stub.setPod(gpuName, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }] });
      const cpuJob = await jobOf(runId, 'cpu');
      assert.ok(stub.deletedJobs.some((d) => d.name === gpuName), 'the GPU Job was deleted');
      const cc = cpuJob.spec!.template.spec!.containers[0]!;
      assert.equal(cc.image, 'registry.example/llmctl-executor-vllm:1.2.3-cpu');
      assert.equal(cc.resources!.limits!['nvidia.com/gpu'], undefined);
      stub.setPod(cpuJob.metadata!.name!, { phase: 'Succeeded' }, resultLog(cpuJob.metadata!.annotations!['llmctl.dispatch_id']!, 'slow but fine'));
      const run = await finished(runId);
      assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
      const nr = await nodeA(runId);
      assert.equal(nr.outcome, 'success_with_warning');
      assert.equal(nr.degraded_reason, 'gpu_unavailable_cpu_fallback');
      assert.ok(nr.warnings.some((w: { code: string }) => w.code === 'gpu_unavailable_cpu_fallback'));
      const d = await dispatches(runId);
      assert.deepEqual([d[0].state, d[0].degraded_reason, d[0].image, d[0].job_id], ['finished', 'gpu_unavailable_cpu_fallback', cc.image, cpuJob.metadata!.name]);
    });

    await t.test('GPU unschedulable where the node forbids the fallback: gpu_unavailable', async () => {
      const runId = await start(flow('gm', { gpu_fallback: false }));
      const name = (await jobOf(runId)).metadata!.name!;
      stub.setPod(name, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'Insufficient nvidia.com/gpu' }] });
      const run = await finished(runId);
      assert.equal(run.status, 'failed');
      assert.equal((await nodeA(runId)).error.code, 'gpu_unavailable');
      assert.ok(![...stub.jobs.keys()].some((k) => k.startsWith(name)), 'no Job left');
    });

    await t.test('an uncertain create (the API stored the Job, then timed out) is resolved by name: one Job, not two', async () => {
      stub.hangJobCreates = 1;
      const before = stub.calls.filter((c) => c.startsWith('POST /apis/batch')).length;
      const runId = await start(flow('fm'));
      const name = (await jobOf(runId)).metadata!.name!;
      await until(async () => (await dispatches(runId))[0]?.state === 'submitted', 'dispatch submitted after the lookup');
      assert.equal(stub.calls.filter((c) => c.startsWith('POST /apis/batch')).length - before, 1, 'the Job was created once');
      assert.equal([...stub.jobs.values()].filter((j) => j.metadata?.labels?.['llmctl.run_id'] === runId).length, 1);
      await stub.runExecutor(name);
      assert.equal((await finished(runId)).status, 'succeeded');
    });

    await t.test('an uncertain create that cannot be looked up fails closed (dispatch_uncertain) and leaves no Job', async () => {
      stub.hangJobCreates = 1;
      stub.failJobReads = 1;
      const runId = await start(flow('fm'));
      const run = await finished(runId);
      assert.equal(run.status, 'failed');
      assert.equal((await nodeA(runId)).error.code, 'dispatch_uncertain');
      assert.equal([...stub.jobs.values()].filter((j) => j.metadata?.labels?.['llmctl.run_id'] === runId).length, 0);
    });

    await t.test('cancel deletes the Job of the in-flight attempt (grace period, then its pods)', async () => {
      const runId = await start(flow('fm'));
      const name = (await jobOf(runId)).metadata!.name!;
      stub.setPod(name, { phase: 'Running' });
      await until(async () => (await dispatches(runId))[0]?.state === 'confirmed', 'the pod running');
      await orchestrator.control(runId, { action: 'cancel' }, { actor: 'test', request_id: null, correlation_id: null });
      assert.equal((await finished(runId)).status, 'canceled');
      const del = await until(async () => stub.deletedJobs.find((d) => d.name === name), 'the Job deleted');
      assert.ok(del.grace !== null && del.grace > 0, 'deleted with a grace period');
      assert.equal((await dispatches(runId))[0].state, 'failed');
    });
  } finally {
    await orchestrator.stop();
    await stub.stop();
    await pool.end();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
