import type { NodeExecution } from '@llmctl/runtime';
import { toPayload } from './attempt-payload.ts';
import type { DispatchRow } from './dispatch-store.ts';
import type { ExecutorPayloadFile, PayloadModel } from './executor-entrypoint.ts';

/** Model names a node refers to (its `config.model`, and a guided decision's model). */
export function modelNamesOf(node: NodeExecution['node']): string[] {
  const c = (node.config ?? {}) as Record<string, unknown>;
  return [c.model].filter((m): m is string => typeof m === 'string' && m.length > 0);
}

/**
 * The payload file of a Kubernetes attempt: the attempt, the flowchart document, and ONLY the models this node uses
 * with their provider credentials (resolved by `resolve`; never another node's or provider's).
 */
export async function buildPayload(row: DispatchRow, x: NodeExecution, resolve: (name: string) => Promise<PayloadModel | null>): Promise<ExecutorPayloadFile> {
  const models: PayloadModel[] = [];
  for (const name of modelNamesOf(x.node)) {
    const m = await resolve(name);
    if (m) models.push(m);
  }
  return { v: 1, attempt: toPayload(row.id, x), flowchart: x.graph.doc, models };
}
