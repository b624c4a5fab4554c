/**
 * Fuzzing (issue 13): model answers with NUL characters, lone surrogates, huge outputs and provider errors, from a
 * local OpenAI-compatible stub (the network edge), through a task node with a retry policy. Every run ends — succeeded,
 * or failed with a registered code — the model is called no more often than the retry and repair policy allow (no
 * re-execution outside it: issue 13, defect 3; the only extra call is the adapter's prompt-only fallback when an
 * endpoint refuses `response_format`), and the run's read endpoints answer without a 5xx afterwards.
 * `LLMCTL_FUZZ_ANSWERS` sets the number of runs, `LLMCTL_FUZZ_SEED` replays a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isErrorCode } from '@llmctl/contracts';
import { startOpenAIStub, type StubReply } from '../../../packages/providers/test/stubs/index.ts';
import { envelopeProblem } from './support/envelope.ts';
import { startTestServer } from './support/test-server.ts';

const RUNS = Number(process.env.LLMCTL_FUZZ_ANSWERS ?? 20);
const SEED = process.env.LLMCTL_FUZZ_SEED ? Number(process.env.LLMCTL_FUZZ_SEED) : undefined;
const REPAIRS = 1;

const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'ok\u0000', '\ud800', 'half \udc00 pair', '{"x":"\\u0000"}', '{"x":"\u0000"}', '{"x":"\ud800"}', '', '{"x":1}', 'plain answer', '\u{1F600}'),
  fc.tuple(fc.string({ maxLength: 20, unit: 'binary' }), fc.constantFrom('\u0000', '\ud83d', '')).map(([a, b]) => a + b),
  fc.constantFrom(300_000, 2_000_000).map((n) => `${'y'.repeat(n)}\u0000`),
  fc.constantFrom(1_500_000).map((n) => 'z'.repeat(n)),
);

/** One answer: text streamed in a few tokens, or a provider error. */
const answer: fc.Arbitrary<StubReply> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(hostileText, fc.integer({ min: 1, max: 3 })).map(([text, parts]) => ({ tokens: split(text, parts) })) },
  { weight: 1, arbitrary: fc.constantFrom<StubReply>({ status: 500 }, { status: 400, error: { message: 'bad \u0000 request' } }, { status: 429, headers: { 'retry-after': '0' } }, { stream_error: true, tokens: ['part\u0000'] }) },
);

function split(text: string, parts: number): string[] {
  const size = Math.ceil(text.length / parts) || 1;
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

test(`hostile model answers end every run in a coded outcome within the retry policy (${RUNS} runs)`, async (t) => {
  let script: StubReply[] = [];
  const stub = await startOpenAIStub((_req, i) => script[Math.min(i, script.length - 1)] ?? {});
  const s = await startTestServer({ config: { rateLimit: null, allowedBaseUrls: ['127.0.0.1'] } });
  const outcomes = new Map<string, number>();
  try {
    assert.equal((await s.request('PUT', '/api/providers/openai_compatible', { api_key: 'sk-fuzz-0123456789' })).status, 200);
    const model = await s.request('POST', '/api/models', { name: 'stubbed', provider: 'openai_compatible', model: 'm', base_url: `${stub.url}/v1` });
    assert.equal(model.status, 201, model.text);
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), async (answers, maxAttempts, structured) => {
      n += 1;
      script = answers;
      stub.setScript((_req, i) => script[Math.min(i, script.length - 1)] ?? {});
      const before = stub.requests.length;
      const fcRes = await s.request('POST', '/api/flowcharts', {
        schema_version: 1, name: `answers #${n}`,
        nodes: [
          { id: 's', type: 'start' },
          {
            id: 'ask', type: 'task', retry: { max_attempts: maxAttempts, backoff_ms: 1 },
            config: { model: 'stubbed', prompt: 'Answer.', max_repair_attempts: REPAIRS, ...(structured ? { output_schema: { type: 'object', required: ['x'] } } : {}) },
          },
          { id: 'z', type: 'end' },
        ],
        edges: [{ id: 'e1', source: 's', target: 'ask' }, { id: 'e2', source: 'ask', target: 'z' }],
      });
      assert.equal(fcRes.status, 201, fcRes.text);
      const started = await s.request('POST', `/api/flowcharts/${fcRes.body.data.id}/runs`, { input: {} });
      assert.equal(started.status, 201, started.text);
      let run: any;
      for (let i = 0; i < 10 && !['succeeded', 'failed', 'canceled'].includes(run?.status); i++) {
        const r = await s.request('GET', `/api/runs/${started.body.data.id}?wait_s=30`);
        assert.ok(r.status < 500 && envelopeProblem(r.status, r.body) === undefined, `${r.status} ${r.text.slice(0, 300)}`);
        run = r.body.data;
      }
      assert.ok(['succeeded', 'failed'].includes(run.status), `run ${run.id} is ${run.status}`);
      outcomes.set(run.status === 'failed' ? run.error?.code : 'succeeded', (outcomes.get(run.status === 'failed' ? run.error?.code : 'succeeded') ?? 0) + 1);
      if (run.status === 'failed') assert.ok(isErrorCode(run.error?.code), JSON.stringify(run.error));
      for (const nr of run.node_runs) for (const a of nr.attempts ?? []) if (a.error) assert.ok(isErrorCode(a.error.code), JSON.stringify(a.error));
      // Per attempt: one call plus the repairs; with an output schema, a call the endpoint refuses (400) is retried
      // once without `response_format` (the adapter's prompt-only fallback), so each may count twice.
      const calls = stub.requests.length - before;
      const allowed = maxAttempts * (1 + REPAIRS) * (structured ? 2 : 1);
      assert.ok(calls <= allowed, `${calls} model calls for max_attempts ${maxAttempts}, ${REPAIRS} repair(s)${structured ? ', structured' : ''} (at most ${allowed})`);
      for (const path of [`/api/runs/${run.id}/events?after_sequence=0&limit=1000`, `/api/runs/${run.id}/trace`, `/api/runs?per_page=5`]) {
        const r = await s.request('GET', path);
        assert.ok(r.status < 500 && envelopeProblem(r.status, r.body) === undefined, `${path}: ${r.status} ${r.text.slice(0, 300)}`);
      }
    }), { numRuns: RUNS, seed: SEED, includeErrorInReport: true });
    t.diagnostic(`fuzz-answers runs=${n} model-calls=${stub.requests.length} outcomes ${[...outcomes].map(([k, v]) => `${k}:${v}`).join(' ')}`);
  } finally {
    await s.close();
    await stub.close();
  }
});
