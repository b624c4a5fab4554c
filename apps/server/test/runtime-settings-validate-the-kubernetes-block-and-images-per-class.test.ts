import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';

test('runtime settings: the kubernetes block and per-class images (digest, CPU fallback image) are validated and selected independently', async () => {
  const s = await startTestServer();
  try {
    const got = (await s.request('GET', '/api/settings/runtime')).body.data;
    assert.deepEqual(
      [got.kubernetes.namespace, got.kubernetes.dispatch_timeout_s, got.kubernetes.execution_timeout_s, got.kubernetes.gpu_limit, got.kubernetes.gpu_schedule_timeout_s],
      ['llmctl', 300, 1800, 1, 120]);
    assert.equal(got.images.vllm_cpu, null);

    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const put = await s.request('PUT', '/api/settings/runtime', {
      executor: 'kubernetes',
      images: { vllm: { tag: '2.0.0', digest }, vllm_cpu: { repository: 'reg.example/vllm-cpu', tag: '2.0.0' } },
      kubernetes: { namespace: 'agents', image_pull_secrets: ['regcred'], dispatch_timeout_s: 60, resources: { vllm: { limits: { cpu: '4', memory: '24Gi', 'ephemeral-storage': '10Gi' } } } },
    });
    assert.equal(put.status, 200, put.text);
    const saved = put.body.data;
    assert.deepEqual(saved.images.frontier, got.images.frontier, 'the frontier image is untouched');
    assert.deepEqual(saved.images.vllm, { repository: 'llmctl-executor-vllm', tag: '2.0.0', digest });
    assert.deepEqual(saved.kubernetes.resources.vllm.limits, { cpu: '4', memory: '24Gi', 'ephemeral-storage': '10Gi' });
    assert.deepEqual(saved.kubernetes.resources.vllm.requests, got.kubernetes.resources.vllm.requests);
    assert.equal(saved.kubernetes.namespace, 'agents');

    const bad: [unknown, string][] = [
      [{ kubernetes: { dispatch_timeout_s: 4 } }, 'kubernetes.dispatch_timeout_s'],
      [{ kubernetes: { dispatch_timeout_s: 3601 } }, 'kubernetes.dispatch_timeout_s'],
      [{ kubernetes: { gpu_limit: 9 } }, 'kubernetes.gpu_limit'],
      [{ kubernetes: { namespace: 'Not_A_Namespace' } }, 'kubernetes.namespace'],
      [{ kubernetes: { resources: { frontier: { requests: { cpu: 'lots' } } } } }, 'kubernetes.resources.frontier.requests.cpu'],
      [{ images: { frontier: { digest: 'sha256:abc' } } }, 'images.frontier.digest'],
      [{ images: { vllm_cpu: { tag: 'bad tag!' } } }, 'images.vllm_cpu.tag'],
      [{ kubernetes: { surprise: 1 } }, 'kubernetes.surprise'],
      [{ queue: { max_concurrent_attempts: -1 } }, 'queue.max_concurrent_attempts'],
    ];
    for (const [body, path] of bad) {
      const r = await s.request('PUT', '/api/settings/runtime', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.body.error.code, 'validation_failed');
      assert.ok(r.body.error.details.errors.some((e: { path: string }) => e.path === path), `${path} in ${JSON.stringify(r.body.error.details.errors)}`);
    }
    const after = (await s.request('GET', '/api/settings/runtime')).body.data;
    assert.equal(after.kubernetes.dispatch_timeout_s, 60, 'refused changes left the settings alone');
  } finally {
    await s.close();
  }
});
