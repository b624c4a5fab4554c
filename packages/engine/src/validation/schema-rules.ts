import { validateAgainst } from '@llmctl/contracts';
import { IssueCollector, type IssueLocation } from './issues.ts';

/**
 * `schema_invalid`: checks the document against the published `flowchart-v1` JSON Schema. Each violation becomes one
 * issue whose `path` points into the document; the schema path is in the message and in `schema_path`.
 * Returns true when the document is schema-valid.
 */
export function checkSchema(doc: unknown, out: IssueCollector): boolean {
  const result = validateAgainst('flowchart-v1', doc);
  for (const err of result.errors) {
    const at = locate(doc, err.path);
    const owner = at.node_id !== undefined ? `node "${at.node_id}": ` : at.edge_id !== undefined ? `connector "${at.edge_id}": ` : '';
    out.error(
      'schema_invalid',
      `${capitalizeFirst(owner)}${err.message} (schema path ${err.schema_path})`,
      at,
      { schema_path: err.schema_path },
    );
  }
  return result.valid;
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
