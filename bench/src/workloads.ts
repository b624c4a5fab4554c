/**
 * The benchmark workloads as engine-neutral shapes. Each engine driver turns a shape into its own graph
 * (an llmctl flowchart document, a LangGraph StateGraph) so every engine runs the same graph.
 */

/** A graph shape the benchmark runs. */
export type Shape =
  /** start → n1 → … → nN → end */
  | { kind: 'chain'; nodes: number }
  /** start (the 1) → m1 … mN → join (`all`) → end */
  | { kind: 'fanout'; width: number }
  /** start → head → check → head while `node.iteration < iterations`, then → end */
  | { kind: 'loop'; iterations: number }
  /** The 3-node flow of the latency and concurrency workloads (llmctl: start → n1 → end; LangGraph: n1 → n2 → n3). */
  | { kind: 'flow3' };

/** How a work node spends its time: a task on the `scripted` provider, or a pass-through decision (no model call). */
export type NodeVariant = 'task' | 'pass';

/** Work nodes (excluding start/end) executed by one run of a shape: what per-node figures divide by. */
export function workNodes(s: Shape): number {
  switch (s.kind) {
    case 'chain':
      return s.nodes;
    case 'fanout':
      return s.width + 1; // the N branches and the join
    case 'loop':
      return s.iterations * 2; // head and check per iteration
    case 'flow3':
      return 3;
  }
}

/** A short label for tables and charts (`chain 100`, `fan-out 1→100→1`, `loop 500`). */
export function shapeLabel(s: Shape): string {
  switch (s.kind) {
    case 'chain':
      return `chain ${s.nodes}`;
    case 'fanout':
      return `fan-out 1→${s.width}→1`;
    case 'loop':
      return `loop ${s.iterations}`;
    case 'flow3':
      return '3-node flow';
  }
}

/** The size a chart puts on its x axis. */
export function shapeSize(s: Shape): number {
  return s.kind === 'chain' ? s.nodes : s.kind === 'fanout' ? s.width : s.kind === 'loop' ? s.iterations : 3;
}
