/**
 * A scriptable local HTTP server (127.0.0.1, port 0) that vendor stubs build on: it records every request, answers
 * from a script of vendor-neutral `StubReply`s, and notices when the client closes a connection before the
 * response ended (an aborted call).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. `body` is the parsed JSON body (or the raw text when it is not JSON). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A tool call a stub streams back. */
export interface StubToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** What the stub answers, in vendor-neutral terms; each vendor stub renders it in its own wire format. */
export interface StubReply {
  /** Text deltas, one stream event each. */
  tokens?: string[];
  tool_calls?: StubToolCall[];
  /** Vendor-native finish reason; a vendor default when absent. */
  finish_reason?: string;
  usage?: { input_tokens: number; output_tokens: number };
  model?: string;
  /** A non-2xx status answers with the vendor's error body instead of a stream. */
  status?: number;
  /** The error body's message, vendor type and (Google) details (for `status`, or `stream_error`). */
  error?: { message?: string; type?: string; details?: unknown[] };
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
  /** After the tokens, keep the connection open without finishing (to test aborts). */
  hang?: boolean;
  /** After the tokens, send the vendor's in-stream error event and end. */
  stream_error?: boolean;
}

/** A reply for every request: one reply, a list (the last repeats), or a function of the request. */
export type StubScript = StubReply | StubReply[] | ((req: RecordedRequest, index: number) => StubReply);

/** Renders one reply for one request. */
export type ReplyWriter = (reply: StubReply, req: RecordedRequest, res: ServerResponse) => void;

/** A running stub. */
export interface StubServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  /** How many responses the client closed before they ended. */
  readonly clientClosed: number;
  /** Resolves once the client has closed more than `n` (default 0) responses early. */
  waitForClientClose(n?: number): Promise<void>;
  /** Replaces the script (and restarts its numbering). */
  setScript(script: StubScript): void;
  close(): Promise<void>;
}

function pick(script: StubScript, req: RecordedRequest, index: number): StubReply {
  if (typeof script === 'function') return script(req, index);
  if (Array.isArray(script)) return script[Math.min(index, script.length - 1)] ?? {};
  return script;
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts the SSE response. */
export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  res.flushHeaders();
}

/** Starts a stub server whose replies `writer` renders. */
export async function startStubServer(writer: ReplyWriter, script: StubScript = {}): Promise<StubServer> {
  let current = script;
  let served = 0;
  let closedEarly = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: await readBody(req),
      };
      requests.push(recorded);
      res.on('close', () => {
        if (res.writableFinished) return;
        closedEarly++;
        for (const w of waiters.splice(0)) {
          if (closedEarly > w.n) w.resolve();
          else waiters.push(w);
        }
      });
      try {
        writer(pick(current, recorded, served++), recorded, res);
      } catch (err) {
        sendJson(res, 500, { error: { message: `stub failure: ${String(err)}` } });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get clientClosed() {
      return closedEarly;
    },
    waitForClientClose(n = 0) {
      if (closedEarly > n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    setScript(s) {
      current = s;
      served = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
