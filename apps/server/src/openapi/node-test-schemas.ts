/**
 * OpenAPI schema of `POST /api/node-tests` (routes/node-tests.ts; docs/api.md "Test this node"), merged into
 * ROUTE_SCHEMAS. The body is checked by its handler (400 validation_failed naming the field).
 */
type Json = Record<string, unknown>;

const str = { type: 'string' };
const obj = { type: 'object' };
const errorResponses = { '4xx': { description: 'The error envelope (api.md "Conventions"); a failed node test carries its report in details.test.', $ref: 'ErrorEnvelope#' }, '5xx': { description: 'The error envelope.', $ref: 'ErrorEnvelope#' } };

const report: Json = {
  type: 'object', required: ['node_id', 'node_type', 'model', 'rendered', 'output', 'routing', 'warnings', 'usage', 'model_calls', 'tool_calls', 'latency_ms'],
  properties: {
    node_id: str, node_type: str, model: { type: ['string', 'null'] },
    rendered: { type: 'object', properties: { system: { type: ['string', 'null'] }, prompt: { type: ['string', 'null'] } } },
    output: {}, routing: { type: ['object', 'null'] }, warnings: { type: 'array', items: obj }, usage: { type: ['object', 'null'] },
    model_calls: { type: 'array', items: obj, description: 'Each model call as a run journals it: request (messages, settings), raw response, parsed output, repairs, usage, latency, cost.' },
    tool_calls: { type: 'array', items: { type: 'object', properties: { call_index: { type: 'integer' }, name: str, arguments: {} } } },
    latency_ms: { type: 'integer' },
  },
};

/** The documented schema of the node-test route. */
export const NODE_TEST_ROUTE_SCHEMAS: Record<string, Json> = {
  'POST /api/node-tests': {
    tags: ['flowcharts'],
    summary: 'Test one node on a sample input, without creating a run',
    description: 'Runs the node sent inline (unsaved edits included) once through the runtime\'s node executor. 200 with the report; a failed attempt is the node\'s coded error (422) with a message for people and details.test.',
    body: {
      type: 'object', required: ['node'], 'x-validated-by': 'handler',
      properties: {
        node: { type: 'object', description: 'A flowchart-v1 node (task, decision or end).' },
        edges: { type: 'array', items: obj, description: 'The connectors leaving the node (routing is evaluated over them).' },
        sample: { type: 'object', properties: { input: {}, upstream: obj, context: obj } },
        model: { type: 'string', description: 'A model name used instead of config.model.' },
      },
    },
    response: { 200: { description: 'The report.', type: 'object', required: ['ok', 'data', 'request_id', 'correlation_id'], properties: { ok: { const: true }, data: report, request_id: str, correlation_id: str } }, ...errorResponses },
  },
};
