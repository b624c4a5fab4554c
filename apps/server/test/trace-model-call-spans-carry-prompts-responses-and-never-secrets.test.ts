import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOpenAIStub } from '../../../packages/providers/test/stubs/index.ts';
import { startTestServer } from './support/test-server.ts';

const KEY = 'sk-live-0123456789abcdef-7a7a';

interface Span { kind: string; name: string; status: string; attributes: Record<string, any>; children: Span[] }
const walk = (s: Span, out: Span[] = []): Span[] => (out.push(s), s.children.forEach((c) => walk(c, out)), out);

test('model-call spans of the trace carry the rendered prompts, settings, raw response, parsed output, repairs, usage and latency; tool spans their input and result; no key anywhere', async () => {
  // The provider echoes the key in its first (invalid) answer: the journal must hold it redacted.
  const stub = await startOpenAIStub([
    { tokens: ['{oops ', KEY], usage: { input_tokens: 30, output_tokens: 9 } },
    { tokens: ['{"category":', ' "bug"}'], usage: { input_tokens: 44, output_tokens: 6 } },
  ]);
  const server = await startTestServer({ config: { allowedBaseUrls: ['127.0.0.1'] } });
  try {
    assert.equal((await server.request('PUT', '/api/providers/openai_compatible', { api_key: KEY })).status, 200);
    const model = await server.request('POST', '/api/models', {
      name: 'compat', provider: 'openai_compatible', model: 'qwen-7b', base_url: `${stub.url}/v1`, settings: { json_mode: 'json_schema', headers: { 'x-api-key': KEY } },
    });
    assert.equal(model.status, 201, model.text);
    assert.equal((await server.request('POST', '/api/models', {
      name: 'agent', provider: 'scripted', settings: { responses: [{ match: 'Remember', tool_calls: [{ name: 'memory', arguments: { op: 'add', text: '{{input.text}}' } }], output: 'noted' }] },
    })).status, 201);
    const schema = { type: 'object', required: ['category'], properties: { category: { type: 'string' } } };
    const fc = await server.request('POST', '/api/flowcharts', {
      schema_version: 1, name: 'journal',
      nodes: [
        { id: 's', type: 'start' },
        { id: 'classify', type: 'task', config: { model: 'compat', system: 'You triage reports.', prompt: 'Classify: {{input.text}}', temperature: 0.2, max_tokens: 50, output_schema: schema } },
        { id: 'remember', type: 'task', config: { model: 'agent', prompt: 'Remember: {{input.text}}', tools: ['memory'] } },
        { id: 'z', type: 'end' },
      ],
      edges: [{ id: 'e1', source: 's', target: 'classify' }, { id: 'e2', source: 'classify', target: 'remember' }, { id: 'e3', source: 'remember', target: 'z' }],
    });
    assert.equal(fc.status, 201, fc.text);
    const started = await server.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { text: 'crash on login' } });
    const run = (await server.request('GET', `/api/runs/${started.body.data.id}?wait_s=30`)).body.data;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));

    const res = await server.request('GET', `/api/runs/${run.id}/trace`);
    assert.equal(res.status, 200);
    assert.ok(!res.text.includes(KEY) && !res.text.includes('0123456789abcdef'), 'the trace contains the key');
    const spans = walk(res.body.data as Span);
    const calls = spans.filter((s) => s.kind === 'model_call');
    const [chat, repair] = calls.filter((s) => s.attributes.model === 'compat');
    assert.ok(chat && repair, 'a chat and a repair call');
    assert.equal(chat.attributes.provider, 'openai_compatible');
    assert.deepEqual(chat.attributes.request.messages.map((m: { role: string; content: string }) => [m.role, m.content]), [['system', 'You triage reports.'], ['user', 'Classify: crash on login']]);
    const settings = chat.attributes.request.settings;
    assert.equal(settings.model, 'qwen-7b');
    assert.equal(settings.temperature, 0.2);
    assert.equal(settings.max_tokens, 50);
    assert.equal(settings.response_format.type, 'json_schema');
    assert.equal(settings.provider_settings.json_mode, 'json_schema');
    assert.equal(settings.provider_settings.headers, undefined, 'headers are never journaled');
    assert.match(chat.attributes.response.text, /^\{oops \[redacted\]/);
    assert.ok(chat.attributes.parsed_output.problems.length > 0, 'the invalid answer is journaled with its problems');
    assert.deepEqual(chat.attributes.usage, { input_tokens: 30, output_tokens: 9 });
    assert.equal(typeof chat.attributes.latency_ms, 'number');
    assert.equal(chat.attributes.step, 0);
    assert.equal(repair.attributes.kind, 'repair');
    assert.equal(repair.attributes.repair_attempt, 1);
    assert.equal(repair.attributes.request.messages.at(-1).role, 'user');
    assert.deepEqual(repair.attributes.parsed_output, { value: { category: 'bug' } });
    assert.equal(repair.attributes.cost, null, 'the stub reports no cost');

    const agent = calls.filter((s) => s.attributes.model === 'agent');
    assert.deepEqual(agent.map((s) => s.attributes.kind), ['chat', 'agent_step']);
    assert.deepEqual(agent[0]!.attributes.response.tool_calls.map((t: { name: string; arguments: unknown }) => [t.name, t.arguments]), [['memory', { op: 'add', text: 'crash on login' }]]);
    assert.equal(agent[1]!.attributes.request.messages.find((m: { role: string }) => m.role === 'tool').tool_call_id, agent[0]!.attributes.response.tool_calls[0].id);
    assert.equal(agent[1]!.attributes.response.text, 'noted');
    const tool = spans.find((s) => s.kind === 'tool_call')!;
    assert.deepEqual(tool.attributes.input, { op: 'add', text: 'crash on login' });
    assert.equal(tool.attributes.result.status, 'success');
  } finally {
    await server.close();
    await stub.close();
  }
});
