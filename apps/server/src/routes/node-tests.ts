import { LlmctlError, type FlowchartEdge, type FlowchartNode } from '@llmctl/contracts';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { RegistryModelGateway } from '../runtime/model-gateway.ts';
import { runNodeTest, type NodeTestRequest, type NodeTestSample } from '../runtime/node-test-runner.ts';
import { requireObjectBody } from './params.ts';

/** How long a node test may run when the node sets no `timeout_s`. */
const DEFAULT_TEST_TIMEOUT_S = 120;

function bad(path: string, message: string): LlmctlError {
  return new LlmctlError('validation_failed', `${path}: ${message}`, { errors: [{ path, message }] });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the body of `POST /api/node-tests` (`400 validation_failed` naming the first bad field). */
export function parseNodeTestBody(raw: unknown): NodeTestRequest {
  const body = requireObjectBody(raw);
  const node = body.node;
  if (!isObject(node)) throw bad('node', 'the node document (an object with id, type and config) is required');
  if (typeof node.id !== 'string' || node.id === '') throw bad('node.id', 'must be a non-empty string');
  if (typeof node.type !== 'string') throw bad('node.type', 'must be a string');
  if (node.config !== undefined && !isObject(node.config)) throw bad('node.config', 'must be an object');
  const edges = body.edges ?? [];
  if (!Array.isArray(edges)) throw bad('edges', 'must be an array of connectors');
  edges.forEach((e, i) => {
    if (!isObject(e) || typeof e.id !== 'string' || typeof e.source !== 'string' || typeof e.target !== 'string') throw bad(`edges.${i}`, 'a connector needs string id, source and target');
  });
  const sample = body.sample ?? {};
  if (!isObject(sample)) throw bad('sample', 'must be an object { input, upstream, context }');
  for (const k of ['upstream', 'context'] as const) if (sample[k] !== undefined && !isObject(sample[k])) throw bad(`sample.${k}`, 'must be an object keyed by node id');
  if (body.model !== undefined && (typeof body.model !== 'string' || body.model === '')) throw bad('model', 'must be a model name');
  return {
    node: node as unknown as FlowchartNode, edges: edges as FlowchartEdge[], sample: sample as NodeTestSample,
    ...(typeof body.model === 'string' ? { model: body.model } : {}),
  };
}

/**
 * `POST /api/node-tests`: runs one node (sent inline, so unsaved edits are tested) on a sample through the runtime's
 * node executor, without creating a run. 200 with the report; a failed attempt is the node's coded error (422) with
 * a message for people and the report so far in `details.test`.
 */
export const nodeTestRoutes: RouteInstaller = async (app, ctx) => {
  const models = new RegistryModelGateway(ctx.repos.models, app.credentials, ctx.config.allowedBaseUrls);
  app.post('/api/node-tests', async (req, reply) => {
    const test = parseNodeTestBody(req.body);
    const timeoutS = typeof test.node.timeout_s === 'number' && test.node.timeout_s > 0 ? test.node.timeout_s : DEFAULT_TEST_TIMEOUT_S;
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutS * 1000), closedSignal(req.raw)]);
    return ok(reply, await runNodeTest(models, test, signal));
  });
};

/** Aborts when the client goes away before the answer (the model call stops with it). */
function closedSignal(raw: import('node:http').IncomingMessage): AbortSignal {
  const ac = new AbortController();
  raw.socket?.once('close', () => ac.abort());
  return ac.signal;
}
