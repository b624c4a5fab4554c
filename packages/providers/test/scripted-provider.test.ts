import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProvider, parseScriptedResponses, type ChatRequest } from '../src/index.ts';
import { rejectsWith } from './adapter-conformance.ts';

const ask = (prompt: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'demo', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: prompt }], ...extra,
});

test('scripted: the first response whose match is a case-sensitive substring of the prompt answers', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [
    { match: 'Bug', output: 'first' },
    { match: 'bug', output: 'second' },
    { match: 'bug', output: 'third' },
    { output: 'catch-all' },
  ] } });
  assert.equal((await p.chat(ask('a bug report'))).text, 'second');
  assert.equal((await p.chat(ask('A Bug report'))).text, 'first');
  assert.equal((await p.chat(ask('something else'))).text, 'catch-all');
});

test('scripted: the match is tested against the last user message, or the prompt hook when given', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ match: 'classify', output: 'A' }, { output: 'B' }] } });
  const repair: ChatRequest = { model: 'demo', messages: [
    { role: 'user', content: 'classify this' },
    { role: 'assistant', content: 'oops' },
    { role: 'user', content: 'Your answer did not validate' },
  ] };
  assert.equal((await p.chat(repair)).text, 'B');
  assert.equal((await p.chat(repair, { scripted: { prompt: 'classify this' } })).text, 'A');
});

test('scripted: JSON output is rendered through the render hook, then serialised', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ output: { category: '{{input.kind}}', n: 1 } }] } });
  const seen: unknown[] = [];
  const render = (v: unknown) => {
    seen.push(v);
    return JSON.parse(JSON.stringify(v).replace('{{input.kind}}', 'bug'));
  };
  const res = await p.chat(ask('x'), { scripted: { render } });
  assert.deepEqual(seen, [{ category: '{{input.kind}}', n: 1 }]);
  assert.equal(res.text, '{"category":"bug","n":1}');
  assert.equal(res.raw_model, 'scripted');
  assert.equal(res.finish_reason, 'stop');
});

test('scripted: string output is rendered as text and streamed in a few chunks', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ output: 'Hello {{name}}, this is a scripted answer' }] } });
  const tokens: string[] = [];
  const res = await p.chat(ask('x'), { onToken: (d) => tokens.push(d), scripted: { render: (v) => String(v).replace('{{name}}', 'Ada') } });
  assert.equal(res.text, 'Hello Ada, this is a scripted answer');
  assert.ok(tokens.length > 1 && tokens.length <= 4, `got ${tokens.length} chunks`);
  assert.equal(tokens.join(''), res.text);
});

test('scripted: fail_times fails the first N calls with the retryable fail_code, then succeeds', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ output: 'ok', fail_times: 2, fail_code: 'provider_rate_limited' }] } });
  for (let i = 0; i < 2; i++) {
    const err = await rejectsWith(p.chat(ask('x')), 'provider_rate_limited');
    assert.equal(err.retryable, true);
  }
  assert.equal((await p.chat(ask('x'))).text, 'ok');
});

test('scripted: fail_times defaults to provider_unavailable', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ output: 'ok', fail_times: 1 }] } });
  await rejectsWith(p.chat(ask('x')), 'provider_unavailable');
  assert.equal((await p.chat(ask('x'))).text, 'ok');
});

test('scripted: call counts come from the countPriorCalls hook and every call is recorded', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ match: 'nope', output: 'n' }, { output: 'ok', fail_times: 1 }] } });
  const recorded: number[] = [];
  const hooks = {
    countPriorCalls: async (i: number) => recorded.filter((r) => r === i).length,
    recordCall: async (i: number) => { recorded.push(i); },
  };
  await rejectsWith(p.chat(ask('x'), { scripted: hooks }), 'provider_unavailable');
  assert.equal((await p.chat(ask('x'), { scripted: hooks })).text, 'ok');
  assert.deepEqual(recorded, [1, 1]);
  // A fresh database (no prior calls) fails again, whatever this instance counted in memory.
  await rejectsWith(p.chat(ask('x'), { scripted: { countPriorCalls: async () => 0 } }), 'provider_unavailable');
});

test('scripted: tool_calls are returned first, then the output once a tool result is in the history', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{
    output: 'done', tool_calls: [{ name: 'read_file', arguments: { path: '{{input.path}}' } }],
  }] } });
  const render = (v: unknown) => JSON.parse(JSON.stringify(v).replace('{{input.path}}', 'a.txt'));
  const first = await p.chat(ask('x'), { scripted: { render } });
  assert.equal(first.finish_reason, 'tool_calls');
  assert.equal(first.text, '');
  assert.deepEqual(first.tool_calls.map((c) => [c.name, c.arguments]), [['read_file', { path: 'a.txt' }]]);
  const id = first.tool_calls[0]?.id ?? '';
  const second = await p.chat({ model: 'demo', messages: [
    { role: 'user', content: 'x' },
    { role: 'assistant', content: '', tool_calls: first.tool_calls },
    { role: 'tool', tool_call_id: id, content: 'file body' },
  ] });
  assert.equal(second.text, 'done');
  assert.deepEqual(second.tool_calls, []);
  const third = await p.chat(ask('x'), { scripted: { toolCallsAlreadyReturned: true } });
  assert.equal(third.text, 'done');
});

test('scripted: delay_ms honours abort', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ output: 'late', delay_ms: 60_000 }] } });
  const ac = new AbortController();
  const call = p.chat(ask('x'), { signal: ac.signal });
  setImmediate(() => ac.abort());
  await rejectsWith(call, 'interrupted');
});

test('scripted: delay_ms longer than timeoutMs is provider_timeout', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ output: 'late', delay_ms: 60_000 }] } });
  await rejectsWith(p.chat(ask('x'), { timeoutMs: 20 }), 'provider_timeout');
});

test('scripted: no matching response is the non-retryable scripted_no_response', async () => {
  const p = createProvider({ provider: 'scripted', settings: { responses: [{ match: 'only this', output: 'x' }] } });
  const err = await rejectsWith(p.chat(ask('something else')), 'scripted_no_response');
  assert.equal(err.retryable, false);
});

test('scripted: invalid responses are provider_config_invalid naming the path', () => {
  assert.throws(
    () => parseScriptedResponses({ responses: [{ output: 'a' }, { output: 'b', fail_code: 'no_such_code' }] }),
    (err: unknown) => (err as { code?: string; details?: { path?: string } }).code === 'provider_config_invalid'
      && (err as { details: { path: string } }).details.path === 'settings.responses[1].fail_code',
  );
  assert.throws(() => createProvider({ provider: 'scripted', settings: { responses: 'nope' } }), /must be an array/);
});
