import { successors, type Digraph } from './digraph.ts';

/**
 * Strongly connected components (Tarjan, iterative so deep graphs cannot overflow the stack). Components come out in
 * reverse topological order; the vertices of each are listed in the graph's vertex order.
 */
export function stronglyConnectedComponents(g: Digraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const order = new Map(g.nodes.map((n, i) => [n, i]));
  const components: string[][] = [];
  let counter = 0;

  for (const root of g.nodes) {
    if (index.has(root)) continue;
    // Each frame: the vertex and the position of the next successor to visit.
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter++;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { v: string; i: number };
      const succ = successors(g, frame.v);
      if (frame.i < succ.length) {
        const w = succ[frame.i++] as string;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter);
          counter++;
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v) as number, index.get(w) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) as number, low.get(frame.v) as number));
      if (low.get(frame.v) === index.get(frame.v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.v);
        component.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
        components.push(component);
      }
    }
  }
  return components;
}
