/** JSONata parse check for connector conditions (its own module so jsonata loads only with the editor). */
import jsonata from 'jsonata';

/** Checks that a JSONata condition parses; returns the parser's message (with position) when it does not. */
export function checkCondition(expr: string): string | null {
  if (expr.trim() === '') return null;
  try {
    jsonata(expr);
    return null;
  } catch (e) {
    const err = e as { message?: string; position?: number; code?: string };
    const where = typeof err.position === 'number' ? ` (at ${err.position})` : '';
    return `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}${where}`;
  }
}
