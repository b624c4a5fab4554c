/**
 * Per-node mapping of llmctl nodes (config as llmctl's save pipeline stores it, `web/views/shared.py`) to
 * flowchart-v1 nodes. Decisions, joins and edges are handled by map-flowchart.ts.
 */
import type { FlowchartNode } from '@llmctl/contracts';
import type { IssueList } from './issues.ts';
import type { LegacyNode } from './types.ts';

/** llmctl node types (`FLOWCHART_NODE_TYPE_CHOICES`). */
export const LEGACY_NODE_TYPES = ['start', 'end', 'task', 'decision', 'memory', 'plan', 'milestone', 'rag', 'flowchart'] as const;

/** The node config as an object (`config_json` text is parsed; anything else is `{}` with a warning). */
export function parseConfig(node: LegacyNode, issues: IssueList): Record<string, unknown> {
  const c = node.config;
  if (c === undefined || c === null || c === '') return {};
  if (typeof c === 'object' && !Array.isArray(c)) return { ...c };
  if (typeof c === 'string') {
    try {
      const v: unknown = JSON.parse(c);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch { /* reported below */ }
  }
  issues.warn('transform.config_unparseable', 'The node config is not a JSON object; llmctl treats it as {}.', { node: node.id });
  return {};
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v).trim());
const posInt = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
};

/** Resolves a legacy model through `model_map` (`"default"` for nodes without one); unmapped → `model_unmapped`. */
export function mapModel(node: LegacyNode, modelMap: Record<string, string>, issues: IssueList): string {
  const key = node.model_id === null || node.model_id === undefined ? 'default' : String(node.model_id);
  const name = modelMap[key];
  if (typeof name === 'string' && name.trim()) return name.trim();
  issues.error('model_unmapped', key === 'default'
    ? 'The node uses llmctl\'s default model: add "default" to model_map.'
    : `Legacy model ${key} is not in model_map.`, { node: node.id });
  return `unmapped-model-${key}`;
}

/** Lists the bindings we do not support (warnings, or policy errors where the node cannot work without them). */
export function checkBindings(node: LegacyNode, issues: IssueList): void {
  const at = { node: node.id };
  const mcp = node.mcp_server_ids ?? [];
  if (mcp.length > 0) {
    if (node.node_type === 'memory') issues.warn('binding_mcp_system_managed', `MCP servers ${mcp.join(', ')}: memory nodes use our built-in memory store instead.`, at);
    else issues.policy('binding_mcp_unsupported', `MCP servers ${mcp.join(', ')} are bound to this node; their tools are not available here (register equivalent tools and list them in config.tools).`, at);
  }
  if ((node.script_ids ?? []).length > 0) issues.warn('binding_scripts_unsupported', `Scripts ${node.script_ids!.join(', ')} (pre/post-run hooks) are not carried over.`, at);
  if ((node.skill_ids ?? []).length > 0) issues.warn('binding_skills_unsupported', `Skills ${node.skill_ids!.join(', ')} are not carried over.`, at);
  if ((node.attachment_ids ?? []).length > 0) issues.warn('binding_attachments_unsupported', `Attachments ${node.attachment_ids!.join(', ')} are not carried over.`, at);
}

function mapMode(cfg: Record<string, unknown>): { mode?: 'deterministic' | 'llm_guided' } {
  const m = str(cfg.mode).toLowerCase();
  return m === 'llm_guided' || m === 'deterministic' ? { mode: m } : {};
}

/** Maps the type-specific config of a non-decision node. */
export function mapNodeConfig(node: LegacyNode, cfg: Record<string, unknown>, modelMap: Record<string, string>, issues: IssueList): Pick<FlowchartNode, 'type' | 'config'> {
  const at = { node: node.id };
  switch (node.node_type) {
    case 'start':
      return { type: 'start' };
    case 'end':
      return { type: 'end' };
    case 'task': {
      const prompt = typeof cfg.task_prompt === 'string' ? cfg.task_prompt : '';
      if (!prompt.trim()) issues.error('validation.task_prompt_required', 'Task nodes require config.task_prompt.', at);
      return { type: 'task', config: { model: mapModel(node, modelMap, issues), prompt } };
    }
    case 'memory': {
      const action = str(cfg.action).toLowerCase();
      if (action !== 'add' && action !== 'retrieve') issues.error('memory_action_missing', `Memory action "${action}" is not add or retrieve.`, at);
      for (const k of ['text_source_path', 'query_source_path']) {
        if (str(cfg[k])) issues.error('memory_source_path_unsupported', `${k} reads a path of llmctl's run context; write it as a template ({{ upstream.<node>.<field> }}).`, at);
      }
      if (str(cfg.store_mode)) issues.warn('memory_store_mode_ignored', `store_mode "${str(cfg.store_mode)}" has no equivalent.`, at);
      const mode = mapMode(cfg);
      const config: Record<string, unknown> = { op: action === 'retrieve' ? 'retrieve' : 'add', ...mode };
      if (action === 'retrieve' && typeof cfg.query === 'string') config.query = cfg.query;
      if (action !== 'retrieve' && typeof cfg.text === 'string') config.text = cfg.text;
      const limit = posInt(cfg.limit);
      if (limit) config.limit = limit;
      if (mode.mode === 'llm_guided') config.model = mapModel(node, modelMap, issues);
      return { type: 'memory', config };
    }
    case 'plan': {
      if (str(cfg.store_mode) && str(cfg.store_mode) !== 'append') issues.warn('plan_store_mode_ignored', `store_mode "${str(cfg.store_mode)}" has no equivalent: items are created or updated.`, at);
      if (cfg.patch !== undefined && cfg.patch !== null) issues.error('plan_patch_unsupported', 'A plan patch has no equivalent; rebuild it as an items template.', at);
      const mode = mapMode(cfg);
      return { type: 'plan', config: { op: 'create_or_update', plan_key: `legacy-plan-${node.ref_id ?? node.id}`, ...mode, ...(mode.mode === 'llm_guided' ? { model: mapModel(node, modelMap, issues) } : {}) } };
    }
    case 'milestone': {
      const action = str(cfg.action).toLowerCase();
      const terminate = cfg.terminate_always === true ? 'always' : cfg.terminate_on_complete === true ? 'on_complete' : 'never';
      for (const k of ['terminate_on_checkpoint', 'loop_exit_after_runs', 'loop_checkpoint_every', 'route_key_on_terminate']) {
        const v = cfg[k];
        if (v !== undefined && v !== null && v !== false && v !== '' && v !== 0) issues.error('milestone_option_unsupported', `${k} has no equivalent (terminate supports always and on_complete).`, at);
      }
      const mode = mapMode(cfg);
      return {
        type: 'milestone',
        config: { op: action === 'mark_complete' ? 'complete' : 'create_or_update', milestone_key: `legacy-milestone-${node.ref_id ?? node.id}`, terminate, ...mode,
          ...(mode.mode === 'llm_guided' ? { model: mapModel(node, modelMap, issues) } : {}) },
      };
    }
    case 'rag': {
      const mode = str(cfg.mode).toLowerCase() || 'query';
      if (mode !== 'query') issues.error('rag_mode_unsupported', `RAG mode "${mode}" (indexing) has no node equivalent; index through the RAG API.`, at);
      const collections = Array.isArray(cfg.collections) ? cfg.collections.map(str).filter(Boolean) : [];
      if (collections.length === 0) issues.error('rag_collection_missing', 'The RAG node names no collection.', at);
      if (collections.length > 1) issues.error('rag_multiple_collections', `The RAG node queries ${collections.length} collections; ours query one.`, at);
      const config: Record<string, unknown> = { collection: collections[0] ?? 'unnamed' };
      if (typeof cfg.question_prompt === 'string' && cfg.question_prompt.trim()) config.query = cfg.question_prompt;
      const k = posInt(cfg.top_k);
      if (k) config.top_k = k;
      return { type: 'rag', config };
    }
    case 'flowchart':
      issues.error('subflow_unmapped', `The node calls legacy flowchart ${node.ref_id ?? '?'}; import it first and point config.flowchart_id at its new id.`, at);
      return { type: 'flowchart', config: { flowchart_id: `legacy-${node.ref_id ?? 'unknown'}` } };
    default:
      return { type: 'task' };
  }
}
