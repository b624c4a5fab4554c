import type pg from 'pg';
import { sql } from 'kysely';
import { DEFAULT_SETTINGS, LlmctlError } from '@llmctl/contracts';
import { kyselyOf, type StoreDb } from './db/kysely.ts';
import { checkExecutorSettings } from './executor-settings-check.ts';
import type { FlowchartRetentionPolicy, RetentionPolicy } from './run-retention.ts';

/** Where node work runs: in the server process, on queue workers, or as Kubernetes Jobs. */
export const EXECUTOR_BACKENDS = ['inline', 'queue', 'kubernetes'] as const;
export type ExecutorBackend = (typeof EXECUTOR_BACKENDS)[number];

/** An executor container image; a `sha256:<64 hex>` digest pins it (then it wins over the tag). */
export interface ExecutorImage {
  repository: string;
  tag: string;
  digest: string | null;
}

/** Kubernetes resource requests/limits of an executor class (`{ cpu: '500m', memory: '1Gi', … }`). */
export interface ClassResources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

/** The `kubernetes` block of the runtime settings (docs/executors.md). */
export interface KubernetesRuntimeSettings {
  namespace: string;
  service_account: string | null;
  image_pull_secrets: string[];
  job_ttl_s: number;
  dispatch_timeout_s: number;
  execution_timeout_s: number;
  gpu_limit: number;
  gpu_schedule_timeout_s: number;
  resources: { frontier: ClassResources; vllm: ClassResources };
}

/** Queue limits: attempts running on workers at once, overall and per flowchart (0 = no limit). */
export interface QueueRuntimeSettings {
  max_concurrent_attempts: number;
  max_concurrent_attempts_per_flowchart: number;
}

/** Runtime settings (`GET/PUT /api/settings/runtime`). */
export interface RuntimeSettings {
  executor: ExecutorBackend;
  /** Image per class, selected independently; `vllm_cpu` is the CPU fallback image (null: vllm's tag + `-cpu`). */
  images: { frontier: ExecutorImage; vllm: ExecutorImage; vllm_cpu: ExecutorImage | null };
  /** Used by the `kubernetes` backend. */
  kubernetes: KubernetesRuntimeSettings;
  /** Used by the `queue` backend. */
  queue: QueueRuntimeSettings;
  timeouts: { node_timeout_s: number; model_call_timeout_s: number; tool_timeout_s: number };
  /** Server defaults for flowcharts whose settings leave a guardrail out. */
  guardrails: { max_node_executions: number; max_runtime_minutes: number; max_parallel_nodes: number; max_continuations: number };
  /** When they were last saved; null while they are the defaults. */
  updated_at: string | null;
  /**
   * How long finished runs are kept (0 = no limit): globally, and per flowchart (`flowcharts[]` entries override the
   * global rules for their flowchart). Enforced by the server's retention job and `llmctl runs prune`.
   */
  retention: RetentionPolicy & { flowcharts: FlowchartRetentionPolicy[] };
  /**
   * Legacy llmctl cutover switch (docs/migration/cutover.md): while false, runs of imported flowcharts are refused
   * (`409 cutover_disabled`). True on a fresh installation; turned false once, by the first applied import.
   */
  agent_runtime_cutover_enabled: boolean;
}

/** Settings of a fresh installation. */
export const DEFAULT_RUNTIME_SETTINGS: Omit<RuntimeSettings, 'updated_at'> = {
  executor: 'inline',
  images: {
    frontier: { repository: 'llmctl-executor-frontier', tag: '0.1.0', digest: null },
    vllm: { repository: 'llmctl-executor-vllm', tag: '0.1.0', digest: null },
    vllm_cpu: null,
  },
  kubernetes: {
    namespace: 'llmctl', service_account: null, image_pull_secrets: [], job_ttl_s: 3600, dispatch_timeout_s: 300,
    execution_timeout_s: 1800, gpu_limit: 1, gpu_schedule_timeout_s: 120,
    resources: {
      frontier: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      vllm: { requests: { cpu: '2', memory: '16Gi' }, limits: { cpu: '8', memory: '32Gi' } },
    },
  },
  queue: { max_concurrent_attempts: 0, max_concurrent_attempts_per_flowchart: 0 },
  timeouts: { node_timeout_s: 600, model_call_timeout_s: 120, tool_timeout_s: 60 },
  guardrails: { ...DEFAULT_SETTINGS },
  retention: { keep_finished_days: 0, keep_last_runs: 0, flowcharts: [] },
  agent_runtime_cutover_enabled: true,
};

interface Issue {
  path: string;
  message: string;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Settings objects replaced as a whole (their keys are free: Kubernetes resource names). */
const WHOLESALE = /^kubernetes\.resources\.(frontier|vllm)\.(requests|limits)$/;

/** Deep-merges `patch` over `base` for the keys `base` has; unknown keys are reported. */
function mergeKnown(base: Plain, patch: Plain, path: string, issues: Issue[]): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const p = path ? `${path}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(base, key)) {
      issues.push({ path: p, message: 'unknown setting' });
      continue;
    }
    const b = base[key];
    if (isPlain(b) && !WHOLESALE.test(p)) {
      if (!isPlain(value)) issues.push({ path: p, message: 'must be an object' });
      else out[key] = mergeKnown(b, value, p, issues);
    } else {
      out[key] = value;
    }
  }
  return out;
}


function checkInt(v: unknown, path: string, min: number, max: number, issues: Issue[]): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) issues.push({ path, message: `must be an integer from ${min} to ${max}` });
}

function checkRetentionRules(p: Plain, path: string, issues: Issue[]): void {
  checkInt(p.keep_finished_days, `${path}.keep_finished_days`, 0, 36_500, issues);
  checkInt(p.keep_last_runs, `${path}.keep_last_runs`, 0, 10_000_000, issues);
}

function checkRetention(r: RuntimeSettings['retention'], issues: Issue[]): void {
  checkRetentionRules(r as unknown as Plain, 'retention', issues);
  if (!Array.isArray(r.flowcharts)) {
    issues.push({ path: 'retention.flowcharts', message: 'must be an array of { flowchart_id, keep_finished_days, keep_last_runs }' });
    return;
  }
  const seen = new Set<string>();
  r.flowcharts.forEach((f: unknown, i) => {
    const p = `retention.flowcharts[${i}]`;
    if (!isPlain(f)) { issues.push({ path: p, message: 'must be an object' }); return; }
    const extra = Object.keys(f).filter((k) => !['flowchart_id', 'keep_finished_days', 'keep_last_runs'].includes(k));
    for (const k of extra) issues.push({ path: `${p}.${k}`, message: 'unknown setting' });
    if (typeof f.flowchart_id !== 'string' || f.flowchart_id.length === 0 || f.flowchart_id.length > 128) issues.push({ path: `${p}.flowchart_id`, message: 'must be a flowchart id' });
    else if (seen.has(f.flowchart_id)) issues.push({ path: `${p}.flowchart_id`, message: 'is listed twice' });
    else seen.add(f.flowchart_id);
    checkRetentionRules(f, p, issues);
  });
}

/** Checks a complete settings object; returns the problems found. */
export function checkRuntimeSettings(s: Omit<RuntimeSettings, 'updated_at'>): Issue[] {
  const issues: Issue[] = [];
  checkRetention(s.retention, issues);
  if (!(EXECUTOR_BACKENDS as readonly unknown[]).includes(s.executor)) {
    issues.push({ path: 'executor', message: `must be one of: ${EXECUTOR_BACKENDS.join(', ')}` });
  }
  checkExecutorSettings(s as unknown as Parameters<typeof checkExecutorSettings>[0], issues);
  for (const [k, v] of Object.entries(s.timeouts)) checkInt(v, `timeouts.${k}`, 1, 86_400, issues);
  checkInt(s.guardrails.max_node_executions, 'guardrails.max_node_executions', 1, 1_000_000, issues);
  checkInt(s.guardrails.max_runtime_minutes, 'guardrails.max_runtime_minutes', 1, 10_080, issues);
  if (typeof s.agent_runtime_cutover_enabled !== 'boolean') issues.push({ path: 'agent_runtime_cutover_enabled', message: 'must be a boolean' });
  checkInt(s.guardrails.max_parallel_nodes, 'guardrails.max_parallel_nodes', 1, 256, issues);
  checkInt(s.guardrails.max_continuations, 'guardrails.max_continuations', 0, 1_000_000, issues);
  return issues;
}

/** Notified (payload `saved`) in the transaction of every runtime settings save. */
export const RUNTIME_SETTINGS_CHANNEL = 'llmctl_runtime_settings';

/** The runtime settings row (one per installation), merged over {@link DEFAULT_RUNTIME_SETTINGS}. */
export class SettingsRepository {
  private readonly savedListeners = new Set<() => void>();

  constructor(private readonly pool: pg.Pool) {}

  private get db(): StoreDb {
    return kyselyOf(this.pool);
  }

  /** Current runtime settings (defaults for anything never saved), read on `db` (e.g. a caller's transaction). */
  async getRuntime(db: StoreDb = this.db): Promise<RuntimeSettings> {
    const row = await db.selectFrom('runtime_settings').select(['settings', 'updated_at']).where('id', '=', 1).executeTakeFirst();
    const merged = row ? mergeKnown(DEFAULT_RUNTIME_SETTINGS as unknown as Plain, row.settings as Plain, '', []) : DEFAULT_RUNTIME_SETTINGS;
    return { ...(merged as Omit<RuntimeSettings, 'updated_at'>), updated_at: row?.updated_at ?? null };
  }

  /** The saved `executor` setting as stored (null: never set), without merging the defaults. */
  async storedExecutor(): Promise<string | null> {
    const row = await this.db.selectFrom('runtime_settings').select(sql<string | null>`settings->>'executor'`.as('executor')).where('id', '=', 1).executeTakeFirst();
    return row?.executor ?? null;
  }

  /**
   * Saves a (partial) settings object merged over the current settings; `updated_at` in the body is ignored, so a
   * client may send back what it read. Unknown keys or bad values → `validation_failed` with `details.errors[]`.
   */
  async putRuntime(patch: unknown): Promise<RuntimeSettings> {
    try {
      return await this.saveRuntime(patch);
    } finally {
      for (const listener of this.savedListeners) listener();
    }
  }

  /**
   * Calls `listener` after every `putRuntime` of this repository, whether it saved or failed, before the caller hears
   * the result (caches of this process forget the setting before the PUT answers; other processes hear the
   * notification).
   */
  onSaved(listener: () => void): void {
    this.savedListeners.add(listener);
  }

  private async saveRuntime(patch: unknown): Promise<RuntimeSettings> {
    if (!isPlain(patch)) {
      throw new LlmctlError('validation_failed', 'The runtime settings must be a JSON object.', { errors: [{ path: '', message: 'must be an object' }] });
    }
    const { updated_at: _ignored, ...rest } = patch;
    return this.db.transaction().execute(async (trx) => {
      await trx.insertInto('runtime_settings').values({ id: 1, settings: '{}' }).onConflict((oc) => oc.column('id').doNothing()).execute();
      await trx.selectFrom('runtime_settings').select(sql<number>`1`.as('one')).where('id', '=', 1).forUpdate().execute();
      const { updated_at: _u, ...current } = await this.getRuntime(trx);
      const issues: Issue[] = [];
      const merged = mergeKnown(current as unknown as Plain, rest, '', issues) as unknown as Omit<RuntimeSettings, 'updated_at'>;
      if (issues.length === 0) issues.push(...checkRuntimeSettings(merged));
      if (issues.length > 0) {
        throw new LlmctlError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { errors: issues });
      }
      const saved = await trx.updateTable('runtime_settings').set({ settings: JSON.stringify(merged), updated_at: sql<string>`now()` })
        .where('id', '=', 1).returning('updated_at').executeTakeFirstOrThrow();
      // Delivered when this transaction commits: processes that cache the `executor` setting forget it.
      await sql`SELECT pg_notify(${RUNTIME_SETTINGS_CHANNEL}, 'saved')`.execute(trx);
      return { ...merged, updated_at: saved.updated_at };
    });
  }
}
