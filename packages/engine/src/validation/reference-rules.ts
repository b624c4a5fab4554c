import type { FlowchartDocument, FlowchartNode } from '@llmctl/contracts';
import { configValue, nodePath, type Analysis } from './analysis.ts';
import { capitalize, IssueCollector, nodeLabel } from './issues.ts';
import type { ValidationContext } from './context.ts';

/**
 * True when the node calls a model named by `config.model`: every `task` node; a `decision` or `memory` node in
 * `llm_guided` mode; a `plan`, `milestone` or `rag` node that names a model unless its mode is `deterministic`
 * (the spec gives those types no `mode` field, so naming a model is what makes them llm_guided).
 */
export function usesModel(node: FlowchartNode): boolean {
  const mode = configValue(node, 'mode');
  switch (node.type) {
    case 'task':
      return true;
    case 'decision':
    case 'memory':
      return mode === 'llm_guided';
    case 'plan':
    case 'milestone':
    case 'rag':
      return mode !== 'deterministic';
    default:
      return false;
  }
}

/** `model_unknown` (only when `ctx.modelExists` is given). */
export function checkModels(a: Analysis, out: IssueCollector, ctx: ValidationContext): void {
  const exists = ctx.modelExists;
  if (!exists) return;
  for (const n of a.nodes) {
    const model = configValue(n.node, 'model');
    // An empty name is the schema's problem ("needs a model"), reported once.
    if (typeof model !== 'string' || model.trim() === '' || !usesModel(n.node) || exists(model)) continue;
    out.error(
      'model_unknown',
      `${capitalize(nodeLabel(n.node))} uses model "${model}", which is not in the model registry.`,
      { path: nodePath(n, 'config', 'model'), node_id: n.node.id },
    );
  }
}

/**
 * `subflow_cycle`: a `flowchart` node whose `config.flowchart_id` is this flowchart (`ctx.flowchartId`) or leads back
 * to it through the flowchart nodes of the flowcharts it calls (resolved with `ctx.resolveFlowchart`).
 */
export function checkSubflows(a: Analysis, out: IssueCollector, ctx: ValidationContext): void {
  const self = ctx.flowchartId;
  if (self === undefined) return;
  const calls = memoCalls(ctx);
  for (const n of a.nodes) {
    if (n.node.type !== 'flowchart') continue;
    const target = configValue(n.node, 'flowchart_id');
    if (typeof target !== 'string') continue;
    const chain = pathBack(target, self, calls);
    if (!chain) continue;
    const route = [self, ...chain].map((id) => `"${id}"`).join(' → ');
    out.error(
      'subflow_cycle',
      chain.length === 1
        ? `${capitalize(nodeLabel(n.node))} runs its own flowchart "${self}" as a child run, which would recurse forever.`
        : `${capitalize(nodeLabel(n.node))} runs flowchart "${target}", which leads back to this flowchart (${route}) and would recurse forever.`,
      { path: nodePath(n, 'config', 'flowchart_id'), node_id: n.node.id },
    );
  }
}

/** The flowchart ids a flowchart calls (its flowchart nodes' `config.flowchart_id`), memoised per id. */
function memoCalls(ctx: ValidationContext): (id: string) => string[] {
  const memo = new Map<string, string[]>();
  return (id) => {
    let ids = memo.get(id);
    if (ids) return ids;
    ids = [];
    let doc: FlowchartDocument | undefined;
    try {
      doc = ctx.resolveFlowchart?.(id);
    } catch {
      doc = undefined;
    }
    const nodes: unknown = doc?.nodes;
    if (Array.isArray(nodes)) {
      for (const node of nodes as unknown[]) {
        if (typeof node !== 'object' || node === null) continue;
        const { type, config } = node as { type?: unknown; config?: unknown };
        const fid = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).flowchart_id : undefined;
        if (type === 'flowchart' && typeof fid === 'string' && !ids.includes(fid)) ids.push(fid);
      }
    }
    memo.set(id, ids);
    return ids;
  };
}

/** Breadth-first: the shortest call chain from `from` to `self` (both included, `self` last), or undefined. */
function pathBack(from: string, self: string, calls: (id: string) => string[]): string[] | undefined {
  if (from === self) return [self];
  const parent = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const next of calls(id)) {
      if (parent.has(next)) continue;
      parent.set(next, id);
      if (next === self) {
        const chain = [next];
        for (let p = parent.get(next); p != null; p = parent.get(p)) chain.unshift(p);
        return chain;
      }
      queue.push(next);
    }
  }
  return undefined;
}
