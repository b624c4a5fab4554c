import { LlmctlError } from '@llmctl/contracts';
import type { NodeExecution, NodeHandlers, NodeResult } from './nodes/node-handler.ts';

/**
 * Where node work runs. The orchestrator dispatches every attempt through this interface: the inline executor runs
 * it in this process (the embedded default); other backends (worker processes, Kubernetes jobs) implement the same
 * contract and must honour `x.signal`.
 */
export interface NodeExecutor {
  readonly backend: string;
  execute(x: NodeExecution): Promise<NodeResult>;
}

/** Runs node work in this process through the node handlers. */
export function inlineExecutor(handlers: NodeHandlers): NodeExecutor {
  return {
    backend: 'inline',
    execute(x) {
      const handler = handlers[x.node.type];
      if (!handler) return Promise.reject(new LlmctlError('node_type_unsupported', `no handler for node type ${x.node.type}`, { node_type: x.node.type }));
      return handler(x);
    },
  };
}
