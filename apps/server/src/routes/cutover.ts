/**
 * The cutover switch `agent_runtime_cutover_enabled` (migration.md "Cutover"; docs/migration/cutover.md): the run
 * guard, the guard on turning it on, the checklist and the rehearsal of every imported flowchart.
 */
import { LlmctlError, isRunEndStatus, type CutoverChecklist, type FlowchartDocument } from '@llmctl/contracts';
import { MigrationRepository, RunRepository, type CutoverEntry } from '@llmctl/store';
import type { Orchestrator } from '@llmctl/runtime';
import type { AppContext } from '../app-context.ts';
import type { CutoverSwitch } from './cutover-switch.ts';

/** Where the test-evidence record lives and the command that regenerates it. */
export const EVIDENCE = { record: 'docs/migration/test-evidence.md', generated_by: 'node --import tsx scripts/migration-evidence.ts > docs/migration/test-evidence.md' };

/**
 * `409 cutover_disabled` when the switch is off and `flowchartId` was imported from llmctl. `cutover` is the switch as
 * this process knows it (cutover-switch.ts); without it the settings row is read.
 */
export async function assertCutoverAllowsRun(ctx: AppContext, flowchartId: string, cutover?: CutoverSwitch): Promise<void> {
  const enabled = cutover ? await cutover.isEnabled() : (await ctx.repos.settings.getRuntime()).agent_runtime_cutover_enabled !== false;
  if (enabled) return;
  if (await new MigrationRepository(ctx.db.pool).isImported(flowchartId)) {
    throw new LlmctlError('cutover_disabled', 'This flowchart was imported from llmctl and the cutover is off (agent_runtime_cutover_enabled=false): inspect and dry-run it, or turn the cutover on.', { flowchart_id: flowchartId });
  }
}

/** Applied imported flowcharts whose latest report is blocked. */
export function blockersOf(entries: CutoverEntry[]): CutoverEntry[] {
  return entries.filter((e) => e.latest_status === 'blocked');
}

/** Refuses (`409 cutover_blocked`) a settings patch that turns the cutover on while imports are blocked. */
export async function assertCutoverChange(ctx: AppContext, patch: Record<string, unknown>): Promise<void> {
  if (patch.agent_runtime_cutover_enabled !== true) return;
  const blockers = blockersOf(await new MigrationRepository(ctx.db.pool).checklist());
  if (blockers.length > 0) {
    throw new LlmctlError('cutover_blocked', `${blockers.length} imported flowchart(s) have a blocked latest report: fix and re-import, or roll them back, before the cutover.`, {
      flowcharts: blockers.map((b) => ({ flowchart_id: b.flowchart_id, legacy_id: b.legacy_id, name: b.name, report_id: b.latest_report_id })),
    });
  }
}

/** The release checklist as data. */
export async function cutoverChecklist(ctx: AppContext): Promise<CutoverChecklist> {
  const [settings, entries] = await Promise.all([ctx.repos.settings.getRuntime(), new MigrationRepository(ctx.db.pool).checklist()]);
  const blockers = blockersOf(entries);
  return {
    enabled: settings.agent_runtime_cutover_enabled !== false,
    imported: entries.length,
    ready: entries.filter((e) => e.latest_status === 'ready').length,
    blocked: blockers.length,
    rehearsed: entries.filter((e) => e.rehearsal?.status === 'succeeded' && e.rehearsal.flowchart_version === e.latest_version).length,
    can_enable: blockers.length === 0,
    blockers: blockers.map((b) => ({ flowchart_id: b.flowchart_id, legacy_id: b.legacy_id, name: b.name, report_id: b.latest_report_id })),
    evidence: EVIDENCE,
    flowcharts: entries,
  };
}


/** Models of a document that are not on the scripted provider (a rehearsal never calls a real model). */
async function unscriptedModels(ctx: AppContext, doc: FlowchartDocument): Promise<string[]> {
  const names = [...new Set(doc.nodes.map((n) => (n.config as { model?: unknown } | undefined)?.model).filter((m): m is string => typeof m === 'string'))];
  const out: string[] = [];
  for (const name of names) {
    const m = await ctx.repos.models.findByName(name);
    if (!m || (m as { provider?: string }).provider !== 'scripted') out.push(name);
  }
  return out;
}

/** Waits until the run is terminal (event-driven, with a slow poll for runs owned elsewhere) or `seconds` pass. */
function waitForRun(orchestrator: Orchestrator, runs: RunRepository, runId: string, seconds: number): Promise<string> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: string): void => {
      if (done) return;
      done = true;
      off();
      clearTimeout(timer);
      clearInterval(poll);
      resolve(status);
    };
    const check = (): void => {
      runs.get(runId, false).then((r) => { if (r && isRunEndStatus(r.status)) finish(r.status); }).catch(() => undefined);
    };
    const off = orchestrator.bus.onEvent((e) => { if (e.run_id === runId) check(); });
    const timer = setTimeout(() => finish('timeout'), seconds * 1000);
    const poll = setInterval(check, 1000);
    check();
  });
}

/** Runs every imported flowchart once (scripted models only) and records each result; returns the checklist. */
export async function rehearse(ctx: AppContext, orchestrator: Orchestrator, opts: { input: unknown; timeout_s: number; request_id: string; correlation_id: string }): Promise<CutoverChecklist> {
  const repo = new MigrationRepository(ctx.db.pool);
  const runs = new RunRepository(ctx.db.pool);
  for (const e of await repo.checklist()) {
    const f = await ctx.repos.flowcharts.get(e.flowchart_id);
    const unscripted = await unscriptedModels(ctx, f.document);
    if (unscripted.length > 0) {
      await repo.recordRehearsal(f.id, f.version, null, 'not_scripted', { code: 'not_scripted', message: `models not on the scripted provider: ${unscripted.join(', ')}` });
      continue;
    }
    try {
      const runId = await orchestrator.startRun(f.id, { input: opts.input, version: f.version }, { request_id: opts.request_id, correlation_id: opts.correlation_id });
      const status = await waitForRun(orchestrator, runs, runId, opts.timeout_s);
      const run = await runs.get(runId, false);
      await repo.recordRehearsal(f.id, f.version, runId, status, status === 'succeeded' ? null : (run as { error?: unknown } | undefined)?.error ?? { code: status });
    } catch (err) {
      const e2 = err as { code?: string; message?: string };
      await repo.recordRehearsal(f.id, f.version, null, 'failed', { code: e2.code ?? 'internal', message: e2.message ?? String(err) });
    }
  }
  return cutoverChecklist(ctx);
}
