import { nodePath, type Analysis, type IndexedNode } from './analysis.ts';
import { capitalize, IssueCollector, nodeLabel } from './issues.ts';

/** Roots of the template scope (flowchart-v1.md "Templates"). */
const ROOTS = new Set(['input', 'upstream', 'context', 'node', 'run']);
/** Config fields that are not templates. */
const NOT_TEMPLATES = new Set(['output_schema']);
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every string leaf of a node's config with its JSON-pointer keys (templates can be JSON values). */
function stringLeaves(v: unknown, keys: string[], out: { keys: string[]; text: string }[]): void {
  if (typeof v === 'string') out.push({ keys, text: v });
  else if (Array.isArray(v)) v.forEach((x, i) => stringLeaves(x, [...keys, String(i)], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (keys.length > 0 || !NOT_TEMPLATES.has(k)) stringLeaves(x, [...keys, k], out);
}

/** Whether a `{{` is left without its `}}` (after removing complete placeholders). */
function hasUnclosed(text: string): boolean {
  return text.replace(PLACEHOLDER, '').includes('{{');
}

/**
 * Template references checked at save time, as warnings on the node (a path that does not resolve renders `""` at run
 * time): `template_unclosed` (a `{{` without `}}`), `template_root_unknown` (not input / upstream / context / node /
 * run), `template_upstream_unknown` (`upstream.<id>` where no trigger connector from `<id>` enters the node),
 * `template_context_unknown` (`context.<id>` where no context connector from `<id>` enters the node).
 */
export function checkTemplates(a: Analysis, out: IssueCollector): void {
  for (const n of a.nodes) {
    const leaves: { keys: string[]; text: string }[] = [];
    stringLeaves(n.node.config, [], leaves);
    for (const leaf of leaves) checkLeaf(a, n, leaf.keys, leaf.text, out);
  }
}

function checkLeaf(a: Analysis, n: IndexedNode, keys: string[], text: string, out: IssueCollector): void {
  if (!text.includes('{{')) return;
  const at = { path: nodePath(n, 'config', ...keys), node_id: n.node.id };
  const who = capitalize(nodeLabel(n.node));
  const field = keys.join('.');
  if (hasUnclosed(text)) out.warn('template_unclosed', `${who}: "${field}" has a "{{" without its closing "}}"; the text is used as it is.`, at);
  const incoming = a.edges.filter((e) => e.connected && e.edge.target === n.node.id);
  const sources = (mode: string): Set<string> => new Set(incoming.filter((e) => e.mode === mode).map((e) => e.edge.source));
  for (const m of text.matchAll(PLACEHOLDER)) {
    const path = (m[1] ?? '').split('.');
    const [root, id] = path;
    if (!root) continue;
    if (!ROOTS.has(root)) {
      out.warn('template_root_unknown', `${who}: "{{${m[1]}}}" in "${field}" starts with "${root}", which is not input, upstream, context, node or run; it renders as "".`, at, { reference: m[1] });
      continue;
    }
    if (!id || (root !== 'upstream' && root !== 'context')) continue;
    const mode = root === 'upstream' ? 'trigger' : 'context';
    if (sources(mode).has(id)) continue;
    const exists = a.byId.has(id);
    const why = !exists
      ? `there is no node "${id}"`
      : root === 'upstream'
        ? `no trigger connector from "${id}" enters this node`
        : `no context connector from "${id}" enters this node (add one to read its output)`;
    out.warn(root === 'upstream' ? 'template_upstream_unknown' : 'template_context_unknown',
      `${who}: "{{${m[1]}}}" in "${field}" refers to ${root} "${id}", but ${why}; it renders as "".`, at, { reference: m[1] });
  }
}
