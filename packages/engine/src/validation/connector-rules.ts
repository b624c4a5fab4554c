import jsonata from 'jsonata';
import { edgePath, type Analysis } from './analysis.ts';
import { capitalize, edgeLabel, IssueCollector } from './issues.ts';

/** `fallback_not_decision`, `condition_on_context`, `required_on_trigger`, `condition_invalid`. */
export function checkConnectorFields(a: Analysis, out: IssueCollector): void {
  for (const e of a.edges) {
    const label = capitalize(edgeLabel(e.edge));
    const source = a.byId.get(e.edge.source);
    if (e.edge.fallback === true && source && (source.node.type !== 'decision' || e.mode !== 'trigger')) {
      const why = source.node.type !== 'decision'
        ? `its source "${source.node.id}" is a ${source.node.type} node, not a decision`
        : 'it is a context connector';
      out.error(
        'fallback_not_decision',
        `${label} is marked fallback, but ${why}; fallback is only allowed on a trigger connector leaving a decision node.`,
        { path: edgePath(e, 'fallback'), edge_id: e.edge.id },
      );
    }
    if (e.mode === 'context' && e.edge.condition !== undefined) {
      out.error(
        'condition_on_context',
        `${label} is a context connector with a condition; conditions are only allowed on trigger connectors.`,
        { path: edgePath(e, 'condition'), edge_id: e.edge.id },
      );
    }
    if (e.mode === 'trigger' && e.edge.required === true) {
      out.error(
        'required_on_trigger',
        `${label} is a trigger connector marked required; "required" only applies to context connectors.`,
        { path: edgePath(e, 'required'), edge_id: e.edge.id },
      );
    }
    if (e.edge.condition !== undefined) {
      const problem = parseProblem(e.edge.condition);
      if (problem) {
        out.error(
          'condition_invalid',
          `${label} has a condition that is not valid JSONata: ${problem}.`,
          { path: edgePath(e, 'condition'), edge_id: e.edge.id },
        );
      }
    }
  }
}

/** Why `expr` does not parse as JSONata, or undefined when it does. */
export function parseProblem(expr: string): string | undefined {
  try {
    jsonata(expr);
    return undefined;
  } catch (err) {
    const e = err as { message?: unknown; position?: unknown; code?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    const position = typeof e.position === 'number' ? ` at position ${e.position}` : '';
    const code = typeof e.code === 'string' ? ` [${e.code}]` : '';
    return `${message}${position}${code}`;
  }
}
