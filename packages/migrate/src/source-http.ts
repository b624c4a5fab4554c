/**
 * `--from-url URL`: reads a live llmctl over its HTTP API (llmctl `web/views/flowcharts.py`, mounted under `/api`):
 * `GET /api/flowcharts` → `{ flowcharts: [...] }`, then `GET /api/flowcharts/<id>/graph` → `{ nodes, edges }` for
 * each, one at a time. The token (optional) is sent as a bearer token and never echoed in errors.
 */
import { LlmctlError } from '@llmctl/contracts';
import { checkGraph, type InputItem } from './parse-input.ts';

async function getJson(base: string, path: string, token: string | undefined): Promise<unknown> {
  const url = `${base}${path}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new LlmctlError('legacy_source_unavailable', `Cannot reach llmctl at ${url}: ${(e as Error).message}`, { url });
  }
  if (!res.ok) throw new LlmctlError('legacy_source_unavailable', `llmctl answered ${res.status} for ${url}.`, { url, status: res.status });
  try {
    return await res.json();
  } catch {
    throw new LlmctlError('legacy_source_unavailable', `llmctl answered ${url} with something that is not JSON.`, { url });
  }
}

/** Yields every flowchart of a live llmctl (ascending id). `baseUrl` is the llmctl origin (with or without `/api`). */
export async function* readLegacyHttp(baseUrl: string, opts: { token?: string } = {}): AsyncGenerator<InputItem> {
  const base = baseUrl.replace(/\/+$/, '').replace(/\/api$/, '');
  const list = await getJson(base, '/api/flowcharts', opts.token) as { flowcharts?: unknown };
  if (!Array.isArray(list?.flowcharts)) throw new LlmctlError('legacy_source_unavailable', `${base}/api/flowcharts did not list flowcharts.`, { url: `${base}/api/flowcharts` });
  const items = (list.flowcharts as Record<string, unknown>[]).filter((f) => typeof f?.id === 'number').sort((a, b) => (a.id as number) - (b.id as number));
  let index = 0;
  for (const f of items) {
    const g = await getJson(base, `/api/flowcharts/${f.id as number}/graph`, opts.token) as { nodes?: unknown; edges?: unknown };
    const flowchart = { id: f.id, name: f.name, description: f.description, max_node_executions: f.max_node_executions, max_runtime_minutes: f.max_runtime_minutes, max_parallel_nodes: f.max_parallel_nodes };
    yield { index: index++, kind: 'llmctl_api', graph: checkGraph({ flowchart, nodes: g?.nodes, edges: g?.edges }, `${base}/api/flowcharts/${f.id as number}/graph`) };
  }
}
