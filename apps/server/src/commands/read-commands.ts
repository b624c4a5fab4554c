import { LlmctlError } from '@llmctl/contracts';
import type { CommandContext } from '../cli.ts';
import { connect, type ApiClient } from './api-client.ts';
import { formatTable, shortTime } from './table.ts';
import { joinLines } from './runs-joins.ts';

type Json = Record<string, any>;

function query(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function withApi(ctx: CommandContext, fn: (api: ApiClient) => Promise<number>): Promise<number> {
  const api = await connect(ctx.flags, ctx.err);
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

/** A list route's items and its total. */
async function listPage(api: ApiClient, path: string): Promise<{ data: Json[]; total: number }> {
  const { data, page } = await api.list<Json>(path);
  return { data, total: typeof page.total === 'number' ? page.total : data.length };
}

function perPage(flags: CommandContext['flags']): number {
  const v = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(v) || v < 1 || v > 100) throw new LlmctlError('validation_failed', `--limit must be a whole number from 1 to 100 (got ${String(flags.limit)}).`);
  return v;
}

/** `llmctl flowcharts list [--search TEXT] [--limit N] [--json]` and `llmctl flowcharts show <id> [--version N] [--json]`. */
export async function flowchartsCommand(ctx: CommandContext): Promise<number> {
  const { args, flags, out } = ctx;
  const [action, id] = args;
  if (action === 'list') {
    return withApi(ctx, async (api) => {
      const { data, total } = await listPage(api, `/api/flowcharts${query({ q: flags.search, per_page: perPage(flags), sort: 'updated_at', order: 'desc' })}`);
      if (flags.json) { out(JSON.stringify(data, null, 2)); return 0; }
      if (data.length === 0) { out('no flowcharts'); return 0; }
      for (const l of formatTable(['ID', 'NAME', 'VERSION', 'UPDATED'], data.map((f) => [f.id, f.name, String(f.version), shortTime(f.updated_at)]))) out(l);
      if (total > data.length) out(`(${data.length} of ${total}; --limit N shows more)`);
      return 0;
    });
  }
  if (action === 'show' && id) {
    return withApi(ctx, async (api) => {
      const f = await api.call<Json>('GET', `/api/flowcharts/${encodeURIComponent(id)}${query({ version: flags.version })}`);
      if (flags.json) { out(JSON.stringify(f, null, 2)); return 0; }
      out(`${f.name}  (${f.id}, version ${f.version}, updated ${shortTime(f.updated_at)})`);
      if (f.description) out(f.description);
      const doc = f.document as { nodes: Json[]; edges: Json[] };
      out('');
      for (const l of formatTable(['NODE', 'TYPE', 'MODEL / DETAIL'], doc.nodes.map((n) => [n.id, n.type, String(n.config?.model ?? n.name ?? '')]))) out(l);
      out('');
      for (const l of formatTable(['CONNECTOR', 'FROM → TO', 'KIND', 'CONDITION'], doc.edges.map((e) => [e.id, `${e.source} → ${e.target}`, e.kind ?? 'trigger', String(e.condition ?? (e.fallback ? '(fallback)' : ''))]))) out(l);
      for (const w of (f.warnings ?? []) as Json[]) out(`warning [${w.code}] ${w.message}`);
      return 0;
    });
  }
  throw new LlmctlError('validation_failed', 'usage: llmctl flowcharts list [--search TEXT] [--limit N] [--json] | llmctl flowcharts show <flowchart id> [--version N] [--json]');
}

/** `llmctl runs list [--flowchart ID] [--status S] [--limit N] [--json]`. */
export async function runsListCommand(ctx: CommandContext): Promise<number> {
  const { flags, out } = ctx;
  return withApi(ctx, async (api) => {
    const { data, total } = await listPage(api, `/api/runs${query({ flowchart_id: flags.flowchart, status: flags.status, per_page: perPage(flags) })}`);
    if (flags.json) { out(JSON.stringify(data, null, 2)); return 0; }
    if (data.length === 0) { out('no runs'); return 0; }
    const names = new Map<string, string>();
    for (const fid of new Set(data.map((r) => r.flowchart_id as string))) {
      names.set(fid, await api.call<Json>('GET', `/api/flowcharts/${fid}`).then((f) => f.name as string, () => fid));
    }
    for (const l of formatTable(['RUN', 'FLOWCHART', 'STATUS', 'CREATED', 'ERROR'], data.map((r) => [
      r.id, names.get(r.flowchart_id) ?? r.flowchart_id, r.status, shortTime(r.created_at), r.error ? `[${r.error.code}] ${r.error.message}` : '',
    ]))) out(l);
    if (total > data.length) out(`(${data.length} of ${total}; --limit N shows more)`);
    return 0;
  });
}

/** `llmctl runs show <run id> [--json]`: the run, a table of its node runs, and its joins' held and discarded tokens. */
export async function runsShowCommand(ctx: CommandContext): Promise<number> {
  const { args, flags, out } = ctx;
  const id = args[1];
  if (!id) throw new LlmctlError('validation_failed', 'usage: llmctl runs show <run id> [--json]');
  return withApi(ctx, async (api) => {
    const r = await api.call<Json>('GET', `/api/runs/${encodeURIComponent(id)}`);
    if (flags.json) { out(JSON.stringify(r, null, 2)); return 0; }
    out(`run ${r.id}: ${r.status}  (flowchart ${r.flowchart_id} v${r.flowchart_version}, created ${shortTime(r.created_at)})`);
    if (r.error) out(`error [${r.error.code}] ${r.error.message}`);
    out('');
    for (const l of formatTable(['NODE RUN', 'NODE', 'ITER', 'STATUS', 'ATTEMPTS', 'ERROR'], (r.node_runs as Json[]).map((n) => [
      n.id, n.node_id, String(n.iteration), n.status, String((n.attempts as unknown[]).length), n.error ? `[${n.error.code}] ${n.error.message}` : '',
    ]))) out(l);
    const joins = joinLines(String(r.id), (await allEvents(api, String(r.id))).map((e) => e.payload));
    if (joins.length) { out(''); for (const l of joins) out(l); }
    if (r.status === 'succeeded') { out(''); out(JSON.stringify(r.output, null, 2)); }
    return 0;
  });
}

/** Every logged event of a run, in order. */
async function allEvents(api: ApiClient, id: string): Promise<Json[]> {
  const all: Json[] = [];
  for (let after = 0; ;) {
    const page = await api.call<Json[]>('GET', `/api/runs/${encodeURIComponent(id)}/events?after_sequence=${after}&limit=1000`);
    all.push(...page);
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.sequence as number;
  }
}

/** `llmctl runs events <run id> [--json]` (the event envelopes) and `llmctl runs logs <run id>` (one line per event). */
export async function runsEventsCommand(ctx: CommandContext, asLog: boolean): Promise<number> {
  const { args, flags, out } = ctx;
  const id = args[1];
  if (!id) throw new LlmctlError('validation_failed', `usage: llmctl runs ${asLog ? 'logs' : 'events'} <run id>${asLog ? '' : ' [--json]'}`);
  return withApi(ctx, async (api) => {
    const events = await allEvents(api, id);
    if (flags.json && !asLog) { out(JSON.stringify(events, null, 2)); return 0; }
    const rows = events.map((e) => {
      const p = e.payload as Json;
      const what = [p.node_id, p.node_run_id ?? p.node_run?.id, p.child_run_id, p.status, p.error ? `[${p.error.code}] ${p.error.message}` : undefined].filter((x) => x !== undefined && x !== null).join(' ');
      return [String(e.sequence), shortTime(e.emitted_at), String(p.kind ?? e.event_type), what];
    });
    for (const l of formatTable(['SEQ', 'TIME', 'EVENT', 'DETAIL'], rows, asLog ? 200 : 80)) out(l);
    return 0;
  });
}
