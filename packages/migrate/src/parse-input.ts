/**
 * Input forms (migration.md "What llmctl stores"): graph JSON — one `{ flowchart, nodes, edges }`, an array of them,
 * or a batch `{ flowcharts: [...] }` — and llmctl's migration snapshot (a report or batch of reports of
 * `services/flow_migration.py`, each with `pre_migration_snapshot`). Malformed input is `migration_input_invalid`
 * (details: the JSON path and what is wrong) before anything is analysed or applied.
 */
import { LlmctlError } from '@llmctl/contracts';
import type { LegacyGraph, SourceKind } from './types.ts';

/** One legacy flowchart found in an input. */
export interface InputItem {
  index: number;
  kind: SourceKind;
  graph: LegacyGraph;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function invalid(path: string, problem: string): LlmctlError {
  return new LlmctlError('migration_input_invalid', `Malformed llmctl export at ${path || '(root)'}: ${problem}.`, { path, problem });
}

/** Checks one `{ flowchart, nodes, edges }` and returns it typed (throws `migration_input_invalid`). */
export function checkGraph(v: unknown, path: string): LegacyGraph {
  if (!isObj(v)) throw invalid(path, 'expected an object { flowchart, nodes, edges }');
  if (!isObj(v.flowchart)) throw invalid(`${path}.flowchart`, 'expected an object');
  if (!isInt(v.flowchart.id)) throw invalid(`${path}.flowchart.id`, 'expected an integer id');
  if (!Array.isArray(v.nodes)) throw invalid(`${path}.nodes`, 'expected an array');
  if (!Array.isArray(v.edges)) throw invalid(`${path}.edges`, 'expected an array');
  const ids = new Set<number>();
  v.nodes.forEach((n, i) => {
    const p = `${path}.nodes[${i}]`;
    if (!isObj(n)) throw invalid(p, 'expected an object');
    if (!isInt(n.id)) throw invalid(`${p}.id`, 'expected an integer id');
    if (ids.has(n.id)) throw invalid(`${p}.id`, `duplicate node id ${n.id}`);
    ids.add(n.id);
    if (typeof n.node_type !== 'string') throw invalid(`${p}.node_type`, 'expected a string');
    for (const k of ['mcp_server_ids', 'script_ids', 'skill_ids', 'attachment_ids']) {
      if (n[k] !== undefined && n[k] !== null && !(Array.isArray(n[k]) && (n[k] as unknown[]).every(isInt))) throw invalid(`${p}.${k}`, 'expected an array of integer ids');
    }
    if (n.model_id !== undefined && n.model_id !== null && !isInt(n.model_id)) throw invalid(`${p}.model_id`, 'expected an integer or null');
  });
  const edgeIds = new Set<number>();
  v.edges.forEach((e, i) => {
    const p = `${path}.edges[${i}]`;
    if (!isObj(e)) throw invalid(p, 'expected an object');
    for (const k of ['id', 'source_node_id', 'target_node_id']) if (!isInt(e[k])) throw invalid(`${p}.${k}`, 'expected an integer');
    if (edgeIds.has(e.id as number)) throw invalid(`${p}.id`, `duplicate edge id ${String(e.id)}`);
    edgeIds.add(e.id as number);
  });
  return v as unknown as LegacyGraph;
}

/** One element of a batch (a graph or an llmctl report with `pre_migration_snapshot`), checked. */
export function itemOf(v: unknown, path: string, index: number): InputItem {
  if (isObj(v) && v.pre_migration_snapshot !== undefined) return { index, kind: 'migration_snapshot', graph: checkGraph(v.pre_migration_snapshot, `${path}.pre_migration_snapshot`) };
  return { index, kind: 'graph_json', graph: checkGraph(v, path) };
}

/** The list of items of a parsed input, in order (`source` may be any of the accepted forms). */
function listOf(source: unknown): { list: unknown[]; path: string } {
  if (Array.isArray(source)) return { list: source, path: '' };
  if (isObj(source) && Array.isArray(source.flowcharts)) return { list: source.flowcharts, path: '.flowcharts' };
  if (isObj(source) && Array.isArray(source.reports)) return { list: source.reports, path: '.reports' };
  if (isObj(source)) return { list: [source], path: '' };
  throw invalid('', 'expected a flowchart graph, an array of them, { flowcharts: [...] } or an llmctl migration report');
}

/**
 * Yields the legacy flowcharts of an input one at a time (checked lazily: call {@link checkInput} first when nothing
 * may be applied from an input that turns out malformed further on).
 */
export function* iterateInput(source: unknown): Generator<InputItem> {
  const { list, path } = listOf(source);
  const single = !Array.isArray(source) && path === '';
  for (let i = 0; i < list.length; i++) yield itemOf(list[i], single ? '' : `${path}[${i}]`, i);
}

/** Checks every item of an input (throws the first `migration_input_invalid`); returns how many there are. */
export function checkInput(source: unknown): number {
  let n = 0;
  for (const _ of iterateInput(source)) n++;
  if (n === 0) throw invalid('', 'the export holds no flowchart');
  return n;
}

/** Parses JSON text of an export (`migration_input_invalid` on a syntax error). */
export function parseExportText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new LlmctlError('migration_input_invalid', `The export is not valid JSON: ${(e as Error).message}`, { path: '', problem: 'json_syntax' });
  }
}
