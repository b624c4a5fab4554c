import { validateAgainst, type FlowchartDocument } from '@llmctl/contracts';
import { IssueCollector, type IssueLocation } from './issues.ts';

/** How a node type is named in messages. */
const KIND: Record<string, string> = {
  start: 'Start node', end: 'End node', task: 'Task', decision: 'Decision', memory: 'Memory node', plan: 'Plan node',
  milestone: 'Milestone node', rag: 'RAG node', flowchart: 'Flowchart node',
};
/** What a missing or empty config field is, in words. */
const NEEDS: Record<string, string> = {
  model: 'a model', prompt: 'a prompt', collection: 'a collection', query: 'a query', flowchart_id: 'a flowchart to run',
  plan_key: 'a plan key', milestone_key: 'a milestone key', title: 'a title', text: 'a text', op: 'an operation', mode: 'a mode',
};

/**
 * `schema_invalid`: checks the document against the published `flowchart-v1` JSON Schema. Each violation becomes one
 * issue whose `path` points into the document; the schema path is in the message and in `schema_path`.
 * Returns true when the document is schema-valid.
 */
export function checkSchema(doc: unknown, out: IssueCollector): boolean {
  const result = validateAgainst('flowchart-v1', doc);
  for (const err of result.errors) {
    const at = locate(doc, err.path);
    const human = humanMessage(doc, err.path, err.schema_path);
    const owner = at.node_id !== undefined ? `node "${at.node_id}": ` : at.edge_id !== undefined ? `connector "${at.edge_id}": ` : '';
    out.error(
      'schema_invalid',
      `${human ?? `${capitalizeFirst(owner)}${err.message}`} (schema path ${err.schema_path})`,
      at,
      { schema_path: err.schema_path },
    );
  }
  return result.valid;
}

/**
 * A sentence for the common schema problems of a node's config: a required field missing or empty ("Task
 * "Classify" needs a model."). Null when there is no better wording than the schema's.
 */
function humanMessage(doc: unknown, path: string, schemaPath: string): string | null {
  const m = /^\/nodes\/(\d+)\/config\/([^/]+)$/.exec(path);
  const keyword = schemaPath.split('/').pop();
  if (!m || (keyword !== 'required' && keyword !== 'minLength')) return null;
  const node = ((doc as { nodes?: unknown[] }).nodes ?? [])[Number(m[1])] as { id?: unknown; name?: unknown; type?: unknown } | undefined;
  const field = m[2] as string;
  const kind = KIND[String(node?.type)] ?? 'Node';
  const name = typeof node?.name === 'string' && node.name ? node.name : String(node?.id ?? m[1]);
  return `${kind} "${name}" needs ${NEEDS[field] ?? `"${field}"`}`;
}

/**
 * The document as the graph rules need it (a node list with string ids and types, a connector list with string ids,
 * sources and targets), or null. Used to keep validating a document that failed the schema.
 */
export function graphShaped(doc: unknown): FlowchartDocument | null {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const d = doc as { nodes?: unknown; edges?: unknown };
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!Array.isArray(d.nodes) || !d.nodes.every((n) => isObj(n) && typeof n.id === 'string' && typeof n.type === 'string')) return null;
  const edges = d.edges ?? [];
  if (!Array.isArray(edges) || !edges.every((e) => isObj(e) && typeof e.id === 'string' && typeof e.source === 'string' && typeof e.target === 'string')) return null;
  const nodes = (d.nodes as Record<string, unknown>[]).map((n) => (n.config === undefined || isObj(n.config) ? n : { ...n, config: undefined }));
  return { ...(doc as FlowchartDocument), nodes: nodes as unknown as FlowchartDocument['nodes'], edges: edges as FlowchartDocument['edges'] };
}

function capitalizeFirst(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** Attributes a JSON pointer under `/nodes/<i>` or `/edges/<i>` to that node or connector, when it has a string id. */
function locate(doc: unknown, path: string): IssueLocation {
  const m = /^\/(nodes|edges)\/(\d+)(?:\/|$)/.exec(path);
  if (!m || typeof doc !== 'object' || doc === null) return { path };
  const list = (doc as Record<string, unknown>)[m[1] as string];
  if (!Array.isArray(list)) return { path };
  const item: unknown = list[Number(m[2])];
  const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
  if (typeof id !== 'string') return { path };
  return m[1] === 'nodes' ? { path, node_id: id } : { path, edge_id: id };
}
