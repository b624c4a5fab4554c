/**
 * OpenAI chat-completions stub (`POST …/chat/completions`): SSE chunks with content and tool-call deltas, a usage
 * chunk and `[DONE]`; non-streaming requests get a `chat.completion` JSON. Also serves vLLM / compatible tests.
 * Point the SDK at `${stub.url}/v1`.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startSse, startStubServer, type RecordedRequest, type StubReply, type StubScript, type StubServer } from './http-stub.ts';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_api_key',
  403: 'permission_denied',
  404: 'not_found_error',
  429: 'rate_limit_exceeded',
};

function writeOpenAI(reply: StubReply, req: RecordedRequest, res: ServerResponse): void {
  if (!req.path.endsWith('/chat/completions')) {
    return sendJson(res, 404, { error: { message: `no route ${req.path}`, type: 'not_found_error' } });
  }
  const model = reply.model ?? (req.body?.model as string | undefined) ?? 'stub-model';
  const usage = reply.usage ?? { input_tokens: 11, output_tokens: 7 };
  const calls = (reply.tool_calls ?? []).map((tc, i) => ({ ...tc, id: tc.id ?? `call_${i}` }));
  const finish = reply.finish_reason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
  if (reply.status && reply.status >= 400) {
    const type = reply.error?.type ?? ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? 'server_error' : 'invalid_request_error');
    return sendJson(res, reply.status, {
      error: { message: reply.error?.message ?? `stub error ${reply.status}`, type, param: null, code: type },
    }, reply.headers);
  }
  const base = { id: 'chatcmpl-stub', created: 1_700_000_000, model };
  if (req.body?.stream !== true) {
    return sendJson(res, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{
        index: 0,
        message: {
          role: 'assistant',
          content: (reply.tokens ?? []).join('') || null,
          ...(calls.length > 0 ? {
            tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })),
          } : {}),
        },
        finish_reason: finish,
      }],
      usage: { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens },
    }, reply.headers);
  }
  startSse(res, reply.headers);
  const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
  send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  for (const t of reply.tokens ?? []) send([{ index: 0, delta: { content: t }, finish_reason: null }]);
  calls.forEach((c, i) => {
    const args = JSON.stringify(c.arguments);
    const half = Math.floor(args.length / 2);
    send([{ index: 0, delta: { tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.name, arguments: args.slice(0, half) } }] }, finish_reason: null }]);
    send([{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: args.slice(half) } }] }, finish_reason: null }]);
  });
  if (reply.hang) return;
  if (reply.stream_error) {
    res.write(`data: ${JSON.stringify({ error: { message: reply.error?.message ?? 'stream failed', type: reply.error?.type ?? 'server_error' } })}\n\n`);
    res.end();
    return;
  }
  send([{ index: 0, delta: {}, finish_reason: finish }]);
  if (req.body?.stream_options?.include_usage) {
    send([], { usage: { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens } });
  }
  res.write('data: [DONE]\n\n');
  res.end();
}

/** Starts an OpenAI-compatible stub. */
export function startOpenAIStub(script?: StubScript): Promise<StubServer> {
  return startStubServer(writeOpenAI, script);
}
