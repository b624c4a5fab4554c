import type { FlowchartDocument, ValidationResult } from '@llmctl/contracts';
import { validateFlowchart } from '@llmctl/engine';
import type { Repositories } from '@llmctl/store';

/** How many flowcharts a subflow closure may load (guards against pathological chains). */
const MAX_SUBFLOWS = 200;

function subflowIds(doc: unknown): string[] {
  const nodes = (doc as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const ids: string[] = [];
  for (const n of nodes) {
    const node = n as { type?: unknown; config?: { flowchart_id?: unknown } } | null;
    if (node?.type === 'flowchart' && typeof node.config?.flowchart_id === 'string') ids.push(node.config.flowchart_id);
  }
  return ids;
}

/** Latest documents of every flowchart reachable through `flowchart` nodes from `doc`. */
export async function loadSubflowClosure(repos: Repositories, doc: unknown): Promise<Map<string, FlowchartDocument>> {
  const docs = new Map<string, FlowchartDocument>();
  const seen = new Set<string>();
  let frontier = subflowIds(doc);
  while (frontier.length > 0 && seen.size < MAX_SUBFLOWS) {
    const fresh = [...new Set(frontier)].filter((id) => !seen.has(id)).slice(0, MAX_SUBFLOWS - seen.size);
    fresh.forEach((id) => seen.add(id));
    const found = await repos.flowcharts.latestDocuments(fresh);
    for (const [id, d] of found) docs.set(id, d);
    frontier = [...found.values()].flatMap(subflowIds);
  }
  return docs;
}

/**
 * Save-time validation of a document with what only the database knows: registered model names (`model_unknown`)
 * and the documents of called flowcharts (`subflow_cycle`).
 */
export async function validateDocument(repos: Repositories, doc: unknown, flowchartId?: string): Promise<ValidationResult> {
  const [names, subflows] = await Promise.all([repos.models.names(), loadSubflowClosure(repos, doc)]);
  const known = new Set(names);
  return validateFlowchart(doc, {
    modelExists: (name) => known.has(name),
    ...(flowchartId ? { flowchartId } : {}),
    resolveFlowchart: (id) => subflows.get(id),
  });
}
