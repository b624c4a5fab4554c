/**
 * Anthropic Messages stub (`POST /v1/messages`): named SSE events (`message_start`, `content_block_*`,
 * `message_delta`, `message_stop`) with text and `tool_use` blocks (`input_json_delta`); non-streaming requests get
 * a `message` JSON. Point the SDK at `stub.url`.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startSse, startStubServer, type RecordedRequest, type StubReply, type StubScript, type StubServer } from './http-stub.ts';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function writeAnthropic(reply: StubReply, req: RecordedRequest, res: ServerResponse): void {
  if (req.path !== '/v1/messages') {
    return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.path}` } });
  }
  const model = reply.model ?? (req.body?.model as string | undefined) ?? 'stub-claude';
  const usage = reply.usage ?? { input_tokens: 13, output_tokens: 9 };
  const calls = (reply.tool_calls ?? []).map((tc, i) => ({ ...tc, id: tc.id ?? `toolu_${i}` }));
  const stop = reply.finish_reason ?? (calls.length > 0 ? 'tool_use' : 'end_turn');
  if (reply.status && reply.status >= 400) {
    const type = reply.error?.type ?? ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? 'api_error' : 'invalid_request_error');
    return sendJson(res, reply.status, { type: 'error', error: { type, message: reply.error?.message ?? `stub error ${reply.status}` } }, reply.headers);
  }
  const text = (reply.tokens ?? []).join('');
  const content = [
    ...(text ? [{ type: 'text', text }] : []),
    ...calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments })),
  ];
  const message = { id: 'msg_stub', type: 'message', role: 'assistant', model, stop_sequence: null };
  if (req.body?.stream !== true) {
    return sendJson(res, 200, { ...message, content, stop_reason: stop, usage }, reply.headers);
  }
  startSse(res, reply.headers);
  const send = (event: string, data: Record<string, unknown>) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  send('message_start', { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
  let index = 0;
  if (reply.tokens && reply.tokens.length > 0) {
    send('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const t of reply.tokens) send('content_block_delta', { index, delta: { type: 'text_delta', text: t } });
    if (reply.hang) return;
    send('content_block_stop', { index });
    index++;
  }
  if (reply.hang) return;
  for (const c of calls) {
    const args = JSON.stringify(c.arguments);
    const half = Math.floor(args.length / 2);
    send('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } });
    send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: args.slice(0, half) } });
    send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: args.slice(half) } });
    send('content_block_stop', { index });
    index++;
  }
  if (reply.stream_error) {
    send('error', { error: { type: reply.error?.type ?? 'overloaded_error', message: reply.error?.message ?? 'Overloaded' } });
    res.end();
    return;
  }
  send('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  send('message_stop', {});
  res.end();
}

/** Starts an Anthropic Messages stub. */
export function startAnthropicStub(script?: StubScript): Promise<StubServer> {
  return startStubServer(writeAnthropic, script);
}
