/**
 * The `fan_in` rule, once (docs/architecture.md "fan_in from the schema to the studio"): what makes a node a join,
 * the default policy, and the valid range of a `count` quorum. The JSON Schema checks only the shape (`policy` enum,
 * `count` required with `count`); save-time validation (`fan-in-rules.ts`), graph compilation (`graph.ts`) and the
 * studio's editor all use these. Pure and browser-safe.
 */
import type { FanIn, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';

/** The policy of a join that sets no `fan_in`. */
export const DEFAULT_FAN_IN: Readonly<FanIn> = Object.freeze({ policy: 'inclusive' });

/** The `fan_in` a node joins with: its own, else {@link DEFAULT_FAN_IN}. */
export function fanInOf(node: Pick<FlowchartNode, 'fan_in'>): FanIn {
  return node.fan_in ?? { ...DEFAULT_FAN_IN };
}

/** True for a connector that feeds a join (a `trigger` connector; `context` connectors never do). */
export function isJoinInput(edge: Pick<FlowchartEdge, 'mode'>): boolean {
  return (edge.mode ?? 'trigger') === 'trigger';
}

/** The incoming connectors that count as join inputs of `node` (none for a start node: its inputs continue as new runs). */
export function joinInputsOf<E extends Pick<FlowchartEdge, 'target' | 'mode'>>(node: Pick<FlowchartNode, 'id' | 'type'>, edges: readonly E[]): E[] {
  return node.type === 'start' ? [] : edges.filter((e) => e.target === node.id && isJoinInput(e));
}

/** A node is a join when it has two or more join inputs; `fan_in` on anything else is ignored (`fan_in_ignored`). */
export function isJoin(inputs: number): boolean {
  return inputs >= 2;
}

/** True when `count` is a valid quorum for a join with `inputs` join inputs: an integer from 1 to `inputs`. */
export function fanInCountValid(count: number, inputs: number): boolean {
  return Number.isInteger(count) && count >= 1 && count <= inputs;
}
