import { LlmctlError, isErrorCode } from '@llmctl/contracts';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';

/** A minimal client of the llmctl HTTP API for CLI commands. */
export interface ApiClient {
  url: string;
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** GET of a list route: its items and its `page` block. */
  list<T = any>(path: string): Promise<{ data: T[]; page: { total?: number; [key: string]: unknown } }>;
  close(): Promise<void>;
}

/** Default API address: `--server`, else LLMCTL_SERVER_URL, else http://127.0.0.1:<LLMCTL_PORT or 8080>. */
export function serverUrlOf(flags: Record<string, unknown>): string {
  if (typeof flags.server === 'string') return flags.server.replace(/\/$/, '');
  if (process.env.LLMCTL_SERVER_URL) return process.env.LLMCTL_SERVER_URL.replace(/\/$/, '');
  return `http://127.0.0.1:${process.env.LLMCTL_PORT ?? '8080'}`;
}

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1500) });
    return res.ok;
  } catch {
    return false;
  }
}

function client(url: string, server?: RunningServer): ApiClient {
  const token = process.env.LLMCTL_TOKEN;
  /** The success envelope of a request; an error envelope (or no envelope) is thrown as its coded error. */
  const envelope = async (method: string, path: string, body?: unknown): Promise<{ data?: unknown; page?: Record<string, unknown> }> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => null)) as { ok?: boolean; data?: unknown; page?: Record<string, unknown>; error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
    if (!json || json.ok !== true) {
      const e = json?.error;
      const code = e && isErrorCode(e.code) ? e.code : 'internal';
      throw new LlmctlError(code, e ? `${e.message}${e.code !== code ? ` (${e.code})` : ''}` : `HTTP ${res.status} from ${url}${path}`, e?.details ?? {});
    }
    return json;
  };
  return {
    url,
    async call(method, path, body) {
      return (await envelope(method, path, body)).data as never;
    },
    async list(path) {
      const json = await envelope('GET', path);
      return { data: (json.data ?? []) as never[], page: json.page ?? {} };
    },
    async close() {
      await server?.close();
    },
  };
}

/**
 * Connects to a running server; when none answers (and `--server` was not given), starts one in this process on the
 * data directory (embedded PostgreSQL unless DATABASE_URL), on a free port, closed with the client.
 */
export async function connect(flags: Record<string, unknown>, say: (line: string) => void): Promise<ApiClient> {
  const url = serverUrlOf(flags);
  if (await reachable(url)) return client(url);
  if (typeof flags.server === 'string') throw new LlmctlError('unavailable', `no llmctl server answers at ${url}`);
  say(`no server at ${url}: starting one in this process…`);
  const config = loadConfig(process.env, { port: 0, logLevel: 'silent', dataDir: flags['data-dir'] as string | undefined });
  const server = await startServer({ config });
  return client(server.url, server);
}
