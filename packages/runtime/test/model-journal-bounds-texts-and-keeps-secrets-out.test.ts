import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedModel } from '../src/model-port.ts';
import { JOURNAL_MESSAGE_LIMIT, JOURNAL_TEXT_LIMIT, journalRequest, journalResponse, modelCallKey, replayable, requestDigest } from '../src/nodes/model-journal.ts';
import type { ModelCallRecord } from '../src/ports.ts';

const SECRET = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
const model: ResolvedModel = {
  name: 'm', provider: 'openai', model: 'gpt-x', chat: () => Promise.reject(new Error('not called')),
  settings: { include_usage: true, headers: { authorization: `Bearer ${SECRET}` }, responses: [{ output: 'script' }] },
  // The server wires the provider redactor here; a stand-in that removes the known secret.
  redact: <T,>(v: T): T => JSON.parse(JSON.stringify(v).split(SECRET).join('[redacted]')) as T,
};

test('a journaled request keeps long texts bounded with their full length, drops headers and the script, and redacts secrets', () => {
  const long = 'y'.repeat(JOURNAL_TEXT_LIMIT + 500);
  const messages = [
    { role: 'system' as const, content: `use key ${SECRET}` },
    { role: 'user' as const, content: long },
    ...Array.from({ length: JOURNAL_MESSAGE_LIMIT + 5 }, (_, i) => ({ role: 'user' as const, content: `m${i}` })),
  ];
  const j = journalRequest(model, { model: 'gpt-x', messages, temperature: 0.1 });
  assert.equal(j.messages.length, JOURNAL_MESSAGE_LIMIT);
  assert.equal(j.omitted_messages, messages.length - JOURNAL_MESSAGE_LIMIT);
  assert.equal(j.messages[1]!.content_length, long.length);
  assert.match(j.messages[1]!.content, new RegExp(`…\\[truncated: ${long.length} characters in total\\]$`));
  assert.equal(j.messages.at(-1)!.content, `m${JOURNAL_MESSAGE_LIMIT + 4}`, 'the newest messages are kept');
  assert.ok(!JSON.stringify(j).includes(SECRET), 'no secret in the journal');
  assert.deepEqual(j.settings.provider_settings, { include_usage: true });
  assert.equal(j.settings.temperature, 0.1);
  assert.equal(j.digest, requestDigest({ messages }));
});

test('only a succeeded step of the same request that asked for tools, with its text whole, is replayable', () => {
  const res = { text: 'calling', tool_calls: [{ id: 'c1', name: 'memory', arguments: { op: 'add' } }], usage: { input_tokens: 3, output_tokens: 2 }, finish_reason: 'tool_calls' };
  const key = modelCallKey('run:r:node:n:iter:1', 0);
  const digest = requestDigest({ messages: [{ role: 'user', content: 'go' }] });
  const row = (over: Partial<ModelCallRecord>): ModelCallRecord => ({
    id: 'mc1', run_id: 'r', node_run_id: 'nr', node_id: 'n', model_name: 'm', provider: 'openai', attempt: 1, kind: 'chat', response_index: null,
    status: 'succeeded', error: null, usage: res.usage, started_at: '', finished_at: '', idempotency_key: key,
    request: { messages: [], settings: {}, tools: ['memory'], digest }, response: journalResponse(model, res), ...over,
  });
  assert.deepEqual(replayable([row({})], key, digest)?.response.tool_calls, res.tool_calls);
  assert.equal(replayable([row({ status: 'failed' })], key, digest), null);
  assert.equal(replayable([row({})], key, 'other digest'), null);
  assert.equal(replayable([row({})], modelCallKey('run:r:node:n:iter:1', 1), digest), null);
  assert.equal(replayable([row({ response: journalResponse(model, { ...res, tool_calls: [] }) })], key, digest), null, 'a final answer is asked again');
  assert.equal(replayable([row({ response: journalResponse(model, { ...res, text: 'z'.repeat(JOURNAL_TEXT_LIMIT + 1) }) })], key, digest), null, 'a truncated text cannot be replayed');
});
