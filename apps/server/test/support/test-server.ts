/**
 * A real server for black-box API tests: a fresh database (`CREATE DATABASE t_<random>`) on the shared test cluster,
 * opened and migrated, the app listening on 127.0.0.1:0. `close()` stops it and drops the database.
 */
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '@llmctl/store';
import { buildApp, loadConfig, type AppDeps, type RouteInstaller, type ServerConfig } from '@llmctl/server';
import { createTestDatabase } from '../../../../scripts/test-database.ts';

/** A response as a test sees it. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. */
  body: T;
  text: string;
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  db: Database;
  /** Sends a request; a non-string `body` is sent as JSON (Content-Type set unless `headers` give one). */
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  config?: Partial<ServerConfig>;
  extraRoutes?: RouteInstaller[];
  onEvent?: AppDeps['onEvent'];
  executorStatus?: AppDeps['executorStatus'];
  logger?: AppDeps['logger'];
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const scratch = await createTestDatabase({ migrated: true });
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 5 });
  const config = loadConfig({}, { logLevel: 'silent', studioDist: '/nonexistent-studio-dist', ...opts.config, databaseUrl: scratch.url });
  let app: FastifyInstance;
  try {
    app = await buildApp({ db, config, logger: opts.logger, extraRoutes: opts.extraRoutes, onEvent: opts.onEvent, executorStatus: opts.executorStatus });
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await db.close();
    await scratch.drop();
    throw err;
  }
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  let closed: Promise<void> | undefined;
  return {
    url, app, db,
    async request(method, path, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers: h, body: payload });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json')) {
        try { parsed = JSON.parse(text); } catch { parsed = text; }
      }
      return { status: res.status, headers: res.headers, body: parsed as any, text };
    },
    close() {
      closed ??= (async () => {
        await app.close();
        await db.close();
        await scratch.drop();
      })();
      return closed;
    },
  };
}

/** Asserts-free helper: the error envelope's code of a response (or undefined). */
export function errorCode(res: TestResponse): string | undefined {
  return res.body?.error?.code;
}

/** A second app (its own orchestrator and realtime layer) on the database of `a`, as another `serve` process would be. */
export interface PeerServer {
  url: string;
  app: FastifyInstance;
  db: Database;
  close(): Promise<void>;
}

/** Starts a {@link PeerServer} beside `a` on 127.0.0.1; `close()` stops it (the database stays `a`'s). */
export async function startPeerServer(a: Pick<TestServer, 'db'>, config: Partial<ServerConfig> = {}): Promise<PeerServer> {
  const db = await openDatabase({ databaseUrl: a.db.url, poolMax: 5 });
  let app: FastifyInstance;
  try {
    app = await buildApp({ db, config: loadConfig({}, { logLevel: 'silent', studioDist: '/nonexistent-studio-dist', ...config, databaseUrl: a.db.url }) });
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await db.close();
    throw err;
  }
  const addr = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, app, db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
