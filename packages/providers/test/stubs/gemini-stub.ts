/**
 * Gemini / Vertex AI stub: `POST …/models/<model>:streamGenerateContent?alt=sse` (SSE `data:` chunks of
 * `GenerateContentResponse`) and `…:generateContent` (one JSON). Serves both the Gemini API path
 * (`/v1beta/models/…`) and the Vertex path (`/v1beta1/projects/<p>/locations/<l>/publishers/google/models/…`).
 * Point the SDK at `stub.url` through `httpOptions.baseUrl`.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startSse, startStubServer, type RecordedRequest, type StubReply, type StubScript, type StubServer } from './http-stub.ts';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function writeGemini(reply: StubReply, req: RecordedRequest, res: ServerResponse): void {
  const m = /\/models\/([^/:]+):(streamGenerateContent|generateContent)$/.exec(req.path);
  if (!m) return sendJson(res, 404, { error: { code: 404, message: `no route ${req.path}`, status: 'NOT_FOUND' } });
  const model = reply.model ?? m[1] ?? 'stub-gemini';
  const usage = reply.usage ?? { input_tokens: 17, output_tokens: 5 };
  const finish = reply.finish_reason ?? 'STOP';
  if (reply.status && reply.status >= 400) {
    return sendJson(res, reply.status, {
      error: {
        code: reply.status,
        message: reply.error?.message ?? `stub error ${reply.status}`,
        status: reply.error?.type ?? STATUS_NAMES[reply.status] ?? 'UNKNOWN',
        ...(reply.error?.details ? { details: reply.error.details } : {}),
      },
    }, reply.headers);
  }
  const calls = (reply.tool_calls ?? []).map((c) => ({ functionCall: { ...(c.id ? { id: c.id } : {}), name: c.name, args: c.arguments } }));
  const usageMetadata = {
    promptTokenCount: usage.input_tokens,
    candidatesTokenCount: usage.output_tokens,
    totalTokenCount: usage.input_tokens + usage.output_tokens,
  };
  const chunk = (parts: unknown[], last: boolean) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: finish } : {}) }],
    ...(last ? { usageMetadata } : {}),
    modelVersion: model,
  });
  if (m[2] === 'generateContent') {
    const text = (reply.tokens ?? []).join('');
    return sendJson(res, 200, chunk([...(text ? [{ text }] : []), ...calls], true), reply.headers);
  }
  startSse(res, reply.headers);
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\r\n\r\n`);
  for (const t of reply.tokens ?? []) send(chunk([{ text: t }], false));
  if (reply.hang) return;
  if (reply.stream_error) {
    send({ error: { code: 503, message: reply.error?.message ?? 'stream failed', status: reply.error?.type ?? 'UNAVAILABLE' } });
    res.end();
    return;
  }
  send(chunk(calls, true));
  res.end();
}

/** Starts a Gemini / Vertex AI stub. */
export function startGeminiStub(script?: StubScript): Promise<StubServer> {
  return startStubServer(writeGemini, script);
}
