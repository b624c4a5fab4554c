import { successors, type Digraph } from './digraph.ts';

/**
 * Vertices reachable from `roots` (the roots included) following arcs forward. A vertex in `avoid` is never entered,
 * not even as a root, so paths "without passing through" it are the only ones considered.
 */
export function reachableFrom(g: Digraph, roots: Iterable<string>, avoid: ReadonlySet<string> = new Set()): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const r of roots) {
    if (!g.succ.has(r) || avoid.has(r) || seen.has(r)) continue;
    seen.add(r);
    stack.push(r);
  }
  while (stack.length > 0) {
    const n = stack.pop() as string;
    for (const m of successors(g, n)) {
      if (seen.has(m) || avoid.has(m)) continue;
      seen.add(m);
      stack.push(m);
    }
  }
  return seen;
}
