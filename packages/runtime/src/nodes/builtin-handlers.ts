import { renderTemplate } from '@llmctl/engine';
import type { NodeExecution, NodeHandler, NodeResult } from './node-handler.ts';

function missingWarnings(x: NodeExecution, missing: string[]): void {
  for (const p of missing) x.warn({ code: 'template_path_missing', message: `template path "${p}" did not resolve; "" was inserted` });
}

/** `start`: its output is the run input. */
export const startHandler: NodeHandler = async (x) => ({ output: x.triggering });

/** `end`: its `output` template rendered, else its triggering output. */
export const endHandler: NodeHandler = async (x): Promise<NodeResult> => {
  const tpl = x.node.config?.output;
  if (tpl === undefined) return { output: x.triggering };
  const r = renderTemplate(tpl, x.scope);
  missingWarnings(x, r.missing);
  return { output: r.value };
};

/** Deterministic `decision`: passes its triggering output through as `value`; routing is decided by the runtime. */
export const deterministicDecisionHandler: NodeHandler = async (x) => ({ output: x.triggering });

export { missingWarnings };
