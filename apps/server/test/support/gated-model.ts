import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible chat-completions stub on 127.0.0.1 for child-server tests: it answers `{"echo": <prompt>}`
 * (JSON text) for every prompt, and holds prompts that contain `HOLD` until `release()`. Requests are counted per
 * prompt, so a test can prove a call was never repeated.
 */
export interface GatedModel {
  /** `http://127.0.0.1:<port>/v1`: the model's base_url. */
  baseUrl: string;
  /** Calls received per prompt (the last user message). */
  calls: Map<string, number>;
  /** Resolves once a held request has arrived. */
  held(): Promise<void>;
  /** Answers the held requests (and every later HOLD prompt at once). */
  release(): void;
  /** Resolves once every released answer has been written to its client. */
  answered(): Promise<void>;
  close(): Promise<void>;
}

function lastUserText(body: { messages?: { role: string; content: unknown }[] }): string {
  const m = [...(body.messages ?? [])].reverse().find((x) => x.role === 'user');
  return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? '');
}

function answer(res: ServerResponse, body: { stream?: boolean; model?: string }, text: string): Promise<void> {
  return new Promise((resolve) => {
    res.on('finish', () => resolve());
    res.on('close', () => resolve());
    const base = { id: 'chatcmpl-gated', created: 1_700_000_000, model: body.model ?? 'gated' };
    const usage = { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 };
    if (body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (choices: unknown[], extra: Record<string, unknown> = {}) => res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
    send([{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }]);
    send([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    send([], { usage });
    res.end('data: [DONE]\n\n');
  });
}

/** Starts the gated model stub. */
export async function startGatedModel(): Promise<GatedModel> {
  const calls = new Map<string, number>();
  let released = false;
  let releaseAll!: () => void;
  const gate = new Promise<void>((r) => (releaseAll = r));
  let markHeld!: () => void;
  const heldOnce = new Promise<void>((r) => (markHeld = r));
  const writes: Promise<void>[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { stream?: boolean; model?: string; messages?: { role: string; content: unknown }[] };
      const prompt = lastUserText(body);
      calls.set(prompt, (calls.get(prompt) ?? 0) + 1);
      const text = JSON.stringify({ echo: prompt.replace(/\s+/g, ' ').slice(0, 200) });
      if (prompt.includes('HOLD') && !released) {
        markHeld();
        writes.push(gate.then(() => answer(res, body, text)));
      } else {
        writes.push(answer(res, body, text));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    held: () => heldOnce,
    release() {
      released = true;
      releaseAll();
    },
    async answered() {
      await Promise.all(writes);
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
