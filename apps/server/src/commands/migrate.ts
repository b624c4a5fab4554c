/**
 * `llmctl migrate <file|-> [--from-url URL] [--from-database URL] [--model-map FILE] [--apply] [--non-strict]
 * [--report-json FILE]` (migration.md "Surfaces"; docs/migration/runbook.md). The dry run is local and streams one
 * flowchart at a time; `--apply` then sends each ready flowchart to the server (`--server`, or one started in this
 * process), only after the whole export was read without an input error. Exit 0 all ready, 2 any blocked, 1 bad input.
 */
import { readFileSync } from 'node:fs';
import { LlmctlError } from '@llmctl/contracts';
import {
  analyzeLegacyFlowchart, checkInput, iterateInput, itemOf, parseExportText, readLegacyDatabase, readLegacyHttp, streamExportFile, type InputItem, type MigrationReport,
} from '@llmctl/migrate';
import type { CommandContext } from '../cli.ts';
import { connect } from './api-client.ts';
import { formatTable, progressBar, reportWriter, type MigrateRow } from './migrate-output.ts';

type Source = { items: () => AsyncIterable<InputItem>; total: number | null; label: string };

function readText(path: string): string {
  try {
    return path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (e) {
    throw new LlmctlError('migration_input_invalid', `Cannot read ${path}: ${(e as Error).message}`, { path: '', problem: 'unreadable' });
  }
}

async function* fromParsed(parsed: unknown): AsyncGenerator<InputItem> {
  yield* iterateInput(parsed);
}

/** A file streamed element by element (memory bounded by the largest flowchart, not by the export). */
async function* fromFile(path: string): AsyncGenerator<InputItem> {
  let index = 0;
  for await (const v of streamExportFile(path)) {
    if (v.element) yield itemOf(v.value, v.path, index++);
    else yield* iterateInput(v.value);
  }
}

async function countFile(path: string): Promise<number> {
  let n = 0;
  for await (const v of streamExportFile(path, { parse: false })) n += v.element ? 1 : 0;
  return n;
}

/** The source named by the arguments (exactly one of a file, --from-url, --from-database). */
export async function sourceOf(ctx: CommandContext): Promise<Source> {
  const url = ctx.flags['from-url'];
  const db = ctx.flags['from-database'];
  const given = [ctx.args.length > 0, typeof url === 'string', typeof db === 'string'].filter(Boolean).length;
  if (given !== 1) throw new LlmctlError('validation_failed', 'give exactly one source: <file|->, --from-url URL or --from-database URL', { errors: [{ path: 'source', message: 'exactly one' }] });
  if (typeof url === 'string') return { items: () => readLegacyHttp(url, { token: process.env.LLMCTL_LEGACY_TOKEN }), total: null, label: url };
  if (typeof db === 'string') return { items: () => readLegacyDatabase(db), total: null, label: 'llmctl database' };
  const file = ctx.args[0]!;
  if (file === '-') {
    const parsed = parseExportText(readText(file));
    return { items: () => fromParsed(parsed), total: checkInput(parsed), label: 'stdin' };
  }
  let total: number;
  try {
    total = await countFile(file);
  } catch (e) {
    if (e instanceof LlmctlError) throw e;
    throw new LlmctlError('migration_input_invalid', `Cannot read ${file}: ${(e as Error).message}`, { path: '', problem: 'unreadable' });
  }
  return { items: () => fromFile(file), total: total > 0 ? total : null, label: file };
}

function modelMapOf(path: unknown): Record<string, string> {
  if (typeof path !== 'string') return {};
  const v = parseExportText(readText(path));
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new LlmctlError('migration_input_invalid', `--model-map ${path} must be a JSON object of legacy model id → model name.`, { path: '', problem: 'model_map' });
  }
  return v as Record<string, string>;
}

/** Runs the command. */
export async function migrateCommand(ctx: CommandContext): Promise<number> {
  const source = await sourceOf(ctx);
  const modelMap = modelMapOf(ctx.flags['model-map']);
  const strict = ctx.flags['non-strict'] !== true;
  const apply = ctx.flags.apply === true;
  const rows: MigrateRow[] = [];
  const ready: number[] = [];
  const writer = reportWriter(typeof ctx.flags['report-json'] === 'string' ? ctx.flags['report-json'] : undefined);
  const bar = progressBar((s) => process.stderr.write(s), process.stderr.isTTY === true, source.total);
  for await (const item of source.items()) {
    const r: MigrationReport = await analyzeLegacyFlowchart(item.graph, item.kind, { model_map: modelMap, strict });
    writer.add(r);
    const g = r.compatibility_gate;
    rows.push({ legacy_id: r.source.legacy_id, name: r.source.name, status: g.status, errors: r.issues.filter((i) => i.severity === 'error').length, warnings: r.issues.filter((i) => i.severity === 'warning').length, applied: '-' });
    if (g.status === 'ready') ready.push(r.source.legacy_id);
    bar.tick(r.source.name);
  }
  bar.done();
  if (rows.length === 0) throw new LlmctlError('migration_input_invalid', 'The export holds no flowchart.', { path: '', problem: 'empty' });
  let applied = 0;
  if (apply && ready.length > 0) {
    const api = await connect(ctx.flags, ctx.err);
    try {
      const wanted = new Set(ready);
      for await (const item of source.items()) {
        if (!wanted.has(item.graph.flowchart.id)) continue;
        const batch = await api.call<{ reports: MigrationReport[] }>('POST', '/api/migrations/flowcharts', { source: item.graph, model_map: modelMap, strict, apply: true });
        const rep = batch.reports[0];
        const row = rows.find((x) => x.legacy_id === item.graph.flowchart.id);
        if (row && rep?.apply?.applied) {
          row.applied = `${rep.apply.flowchart_id} v${rep.apply.version}`;
          applied++;
        } else if (row) {
          row.status = rep?.compatibility_gate.status ?? 'blocked';
          row.applied = 'no';
        }
      }
    } finally {
      await api.close();
    }
  }
  const blocked = rows.filter((r) => r.status !== 'ready').length;
  writer.finish({ generated_at: new Date().toISOString(), apply_requested: apply, strict, flowchart_count: rows.length, ready_count: rows.length - blocked, blocked_count: blocked, applied_count: applied });
  for (const line of formatTable(rows, apply)) ctx.out(line);
  ctx.out(`${rows.length} flowchart(s): ${rows.length - blocked} ready, ${blocked} blocked${apply ? `, ${applied} applied` : ''} (source: ${source.label})`);
  return blocked > 0 ? 2 : 0;
}
