import { predecessors, type Digraph } from './digraph.ts';
import { reachableFrom } from './reachability.ts';

/**
 * Immediate dominators of every vertex reachable from `root` (Cooper, Harvey & Kennedy, "A Simple, Fast Dominance
 * Algorithm"). The root maps to itself; unreachable vertices are absent.
 */
export function immediateDominators(g: Digraph, root: string): Map<string, string> {
  const idom = new Map<string, string>();
  if (!g.succ.has(root)) return idom;
  const reach = reachableFrom(g, [root]);
  const postorder = postOrder(g, root);
  const rpo = [...postorder].reverse();
  const poIndex = new Map(postorder.map((n, i) => [n, i]));
  idom.set(root, root);

  const intersect = (a: string, b: string): string => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((poIndex.get(x) as number) < (poIndex.get(y) as number)) x = idom.get(x) as string;
      while ((poIndex.get(y) as number) < (poIndex.get(x) as number)) y = idom.get(y) as string;
    }
    return x;
  };

  let changed = true;
  while (changed) {
    changed = false;
    for (const b of rpo) {
      if (b === root) continue;
      let next: string | undefined;
      for (const p of predecessors(g, b)) {
        if (!reach.has(p) || !idom.has(p)) continue;
        next = next === undefined ? p : intersect(p, next);
      }
      if (next !== undefined && idom.get(b) !== next) {
        idom.set(b, next);
        changed = true;
      }
    }
  }
  return idom;
}

/** True when `a` dominates `b` (every path from the root to `b` passes through `a`; a vertex dominates itself). */
export function dominates(idom: ReadonlyMap<string, string>, a: string, b: string): boolean {
  if (!idom.has(a) || !idom.has(b)) return false;
  let x = b;
  for (;;) {
    if (x === a) return true;
    const up = idom.get(x) as string;
    if (up === x) return false;
    x = up;
  }
}

function postOrder(g: Digraph, root: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([root]);
  const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
  while (work.length > 0) {
    const frame = work[work.length - 1] as { v: string; i: number };
    const succ = g.succ.get(frame.v) ?? [];
    if (frame.i < succ.length) {
      const w = succ[frame.i++] as string;
      if (!seen.has(w)) {
        seen.add(w);
        work.push({ v: w, i: 0 });
      }
      continue;
    }
    work.pop();
    out.push(frame.v);
  }
  return out;
}
