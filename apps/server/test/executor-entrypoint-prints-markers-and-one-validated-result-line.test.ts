import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXECUTOR_RESULT_PREFIX, EXECUTOR_STARTED_MARKER } from '@llmctl/contracts';
import { parseExecutorOutput } from '@llmctl/executors';

const BIN = fileURLToPath(new URL('../bin/llmctl.mjs', import.meta.url));

function runExecutor(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'executor', 'run', ...args], { env: { ...process.env, LLMCTL_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function payload(prompt = 'summarise') {
  const now = new Date().toISOString();
  return {
    v: 1,
    flowchart: {
      schema_version: 1, name: 'x',
      nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model: 'm', prompt, output_schema: { type: 'object', required: ['who'] } } }, { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
    },
    models: [{ name: 'm', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: { who: '{{input.name}}' } }] } }],
    attempt: {
      v: 1, dispatch_id: 'run_x:7', node_id: 'a', attempt: 1,
      run: { id: 'run_x', flowchart_id: 'fc_x', flowchart_version: 1, input: { name: 'Ada' }, started_at: now, correlation_id: null, request_id: null },
      node_run: {
        id: 'nr_a', node_id: 'a', node_type: 'task', iteration: 1, status: 'running', tokens: [], idempotency_key: 'run:run_x:node:a:iter:1',
        retry_of: null, rewound_from: null, queued_seq: 3, created_order: 2, started_seq: 5, done_seq: null, context: {}, output: null, routing: null,
        error: null, outcome: null, fallback_used: false, degraded_reason: null, warnings: [], attempts: [{ n: 1, started_at: now, finished_at: null, error: null }],
        usage: null, started_at: now, finished_at: null,
      },
      scope: { input: { name: 'Ada' }, upstream: { s: { name: 'Ada' } }, context: {}, node: { id: 'a', iteration: 1 }, run: { id: 'run_x', started_at: now } },
      triggering: { name: 'Ada' },
    },
  };
}

function lines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.length > 0);
}

test('llmctl executor run: a payload in, LLMCTL_EXECUTOR_STARTED first and exactly one validated result line last', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-exec-'));
  try {
    const file = join(dir, 'payload.json');
    await writeFile(file, JSON.stringify(payload()), { mode: 0o600 });
    const r = await runExecutor(['--payload-file', file]);
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out[0], EXECUTOR_STARTED_MARKER);
    assert.ok(out[out.length - 1]!.startsWith(EXECUTOR_RESULT_PREFIX));
    const parsed = parseExecutorOutput(r.stdout);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.equal(parsed.line.ok, true);
    assert.equal(parsed.line.dispatch_id, 'run_x:7');
    assert.deepEqual(parsed.line.result?.output, { who: 'Ada' });
    assert.equal(parsed.line.model_calls?.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('llmctl executor run: a bad payload prints a coded failure line (payload_invalid), a failing node a coded error line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-exec-'));
  try {
    const cases: [string, string | null][] = [['missing.json', null], ['garbage.json', '{not json'], ['shape.json', JSON.stringify({ v: 1, attempt: {} })]];
    for (const [name, content] of cases) {
      if (content !== null) await writeFile(join(dir, name), content);
      const r = await runExecutor(['--payload-file', join(dir, name)]);
      assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
      const out = lines(r.stdout);
      assert.equal(out[0], EXECUTOR_STARTED_MARKER);
      const parsed = parseExecutorOutput(r.stdout);
      assert.ok(parsed.ok, `${name}: ${JSON.stringify(parsed)}`);
      assert.equal(parsed.line.ok, false);
      assert.equal(parsed.line.error?.code, 'payload_invalid', name);
    }
    // a node whose model is not in the payload: the attempt fails with a coded error on the one result line
    const bad = payload();
    bad.models = [];
    await writeFile(join(dir, 'nomodel.json'), JSON.stringify(bad));
    const r = await runExecutor(['--payload-file', join(dir, 'nomodel.json')]);
    assert.equal(r.code, 0);
    const parsed = parseExecutorOutput(r.stdout);
    assert.ok(parsed.ok && parsed.line.ok === false && parsed.line.error?.code === 'model_unknown', r.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('parseExecutorOutput refuses output without the marker, with two result lines, or with a result off the contract', () => {
  const good = `${EXECUTOR_RESULT_PREFIX}${JSON.stringify({ v: 1, ok: true, dispatch_id: 'd', result: { output: 1, warnings: [] } })}`;
  assert.equal(parseExecutorOutput(`${EXECUTOR_STARTED_MARKER}\n${good}\n`).ok, true);
  assert.equal(parseExecutorOutput(`${good}\n`).ok, false);
  assert.equal(parseExecutorOutput(`${EXECUTOR_STARTED_MARKER}\n${good}\n${good}\n`).ok, false);
  assert.equal(parseExecutorOutput(`${EXECUTOR_STARTED_MARKER}\n${EXECUTOR_RESULT_PREFIX}{"v":1,"ok":true,"dispatch_id":"d"}\n`).ok, false);
  assert.equal(parseExecutorOutput(`${EXECUTOR_STARTED_MARKER}\n${EXECUTOR_RESULT_PREFIX}{oops\n`).ok, false);
});
