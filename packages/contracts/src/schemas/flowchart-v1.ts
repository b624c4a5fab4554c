import { NODE_TYPES } from '../flowchart.ts';
import { nonEmptyString, schemaHeader } from './common.ts';

/** Node ids: 1 to 64 characters of `[A-Za-z0-9_-]`. */
export const NODE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

const template = { description: 'A template: a string with {{ path }} placeholders, or a JSON value whose string leaves are such strings.' } as const;
const stringTemplate = { type: 'string', description: 'A template string with {{ path }} placeholders.' } as const;
const onFailure = { enum: ['fail', 'fallback'] } as const;
const positiveInt = { type: 'integer', minimum: 1 } as const;

/** Per-type `config` schemas. Known fields are typed; other fields are allowed (the spec lists the main ones only). */
const configs = {
  start: { type: 'object' },
  end: { type: 'object', properties: { output: template } },
  task: {
    type: 'object',
    required: ['model', 'prompt'],
    properties: {
      model: nonEmptyString,
      prompt: stringTemplate,
      system: stringTemplate,
      output_schema: { type: 'object', description: 'A JSON Schema the output must validate against.' },
      max_repair_attempts: { type: 'integer', minimum: 0 },
      tools: { type: 'array', items: nonEmptyString },
      temperature: { type: 'number', minimum: 0 },
      max_tokens: positiveInt,
    },
  },
  decision: {
    type: 'object',
    properties: {
      mode: { enum: ['deterministic', 'llm_guided'] },
      match: { enum: ['first', 'all'] },
      model: nonEmptyString,
      prompt: stringTemplate,
    },
    if: { required: ['mode'], properties: { mode: { const: 'llm_guided' } } },
    then: { required: ['model'] },
  },
  memory: {
    type: 'object',
    required: ['op'],
    properties: {
      mode: { enum: ['deterministic', 'llm_guided'] },
      op: { enum: ['add', 'retrieve'] },
      text: template,
      query: template,
      scope: nonEmptyString,
      limit: positiveInt,
      model: nonEmptyString,
      on_failure: onFailure,
    },
  },
  plan: {
    type: 'object',
    properties: {
      mode: { enum: ['deterministic', 'llm_guided'] },
      op: { enum: ['create_or_update', 'complete_item'] },
      plan_key: nonEmptyString,
      items: template,
      model: nonEmptyString,
      on_failure: onFailure,
    },
  },
  milestone: {
    type: 'object',
    properties: {
      mode: { enum: ['deterministic', 'llm_guided'] },
      op: { enum: ['create_or_update', 'complete'] },
      milestone_key: nonEmptyString,
      title: template,
      terminate: { enum: ['never', 'always', 'on_complete'] },
      model: nonEmptyString,
      on_failure: onFailure,
    },
  },
  rag: {
    type: 'object',
    required: ['collection'],
    properties: {
      collection: nonEmptyString,
      query: template,
      top_k: positiveInt,
      on_failure: onFailure,
    },
  },
  flowchart: {
    type: 'object',
    required: ['flowchart_id'],
    properties: {
      flowchart_id: nonEmptyString,
      input: template,
      wait: { type: 'boolean' },
    },
  },
} as const;

/** Node types whose `config` must be present (they have required config fields). */
const CONFIG_REQUIRED: readonly string[] = ['task', 'memory', 'rag', 'flowchart'];

/** The flowchart document, version 1 (shared/spec/flowchart-v1.md). Mirrors `FlowchartDocument`. */
export const flowchartV1Schema = {
  ...schemaHeader('flowchart-v1', 'llmctl flowchart document v1', 'A flowchart: nodes, connectors and guardrail settings.'),
  type: 'object',
  required: ['schema_version', 'name', 'nodes', 'edges'],
  additionalProperties: false,
  properties: {
    schema_version: { const: 1 },
    name: nonEmptyString,
    description: { type: 'string' },
    settings: { $ref: '#/$defs/settings' },
    nodes: { type: 'array', items: { $ref: '#/$defs/node' } },
    edges: { type: 'array', items: { $ref: '#/$defs/edge' } },
  },
  $defs: {
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max_node_executions: positiveInt,
        max_runtime_minutes: { type: 'number', exclusiveMinimum: 0 },
        max_parallel_nodes: positiveInt,
        max_continuations: { type: 'integer', minimum: 0 },
        executor: { enum: ['inline', 'queue', 'kubernetes'], description: 'Where node attempts run unless a node says otherwise (docs/executors.md).' },
        gpu_fallback: { type: 'boolean', description: 'false: vllm-class nodes without a GPU fail with gpu_unavailable.' },
      },
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max_attempts: positiveInt,
        backoff_ms: { type: 'integer', minimum: 0 },
      },
    },
    fan_in: {
      description: 'Join policy. The range of `count` (1 ≤ N ≤ incoming trigger connectors) is checked by the graph rules (fan_in_invalid).',
      type: 'object',
      required: ['policy'],
      additionalProperties: false,
      properties: {
        policy: { enum: ['inclusive', 'all', 'any', 'count'] },
        count: { type: 'number' },
      },
      if: { required: ['policy'], properties: { policy: { const: 'count' } } },
      then: { required: ['count'] },
      else: { properties: { count: false } },
    },
    ui: { type: 'object', description: 'Free-form editor data (positions, colours); ignored by the runtime.' },
    node: {
      type: 'object',
      required: ['id', 'type'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: NODE_ID_PATTERN },
        type: { enum: [...NODE_TYPES] },
        name: { type: 'string' },
        config: { type: 'object' },
        retry: { $ref: '#/$defs/retry' },
        timeout_s: { type: 'number', exclusiveMinimum: 0 },
        fan_in: { $ref: '#/$defs/fan_in' },
        ui: { $ref: '#/$defs/ui' },
        executor: { enum: ['inline', 'queue', 'kubernetes'], description: 'Where this node\'s attempts run (docs/executors.md).' },
        gpu_fallback: { type: 'boolean', description: 'false: no CPU fallback for a vllm-class node without a GPU (gpu_unavailable).' },
      },
      allOf: NODE_TYPES.map((t) => ({
        if: { required: ['type'], properties: { type: { const: t } } },
        then: {
          ...(CONFIG_REQUIRED.includes(t) ? { required: ['config'] } : {}),
          properties: { config: { $ref: `#/$defs/config_${t}` } },
        },
      })),
    },
    ...Object.fromEntries(Object.entries(configs).map(([t, s]) => [`config_${t}`, s])),
    edge: {
      type: 'object',
      required: ['id', 'source', 'target'],
      additionalProperties: false,
      properties: {
        id: nonEmptyString,
        source: nonEmptyString,
        target: nonEmptyString,
        mode: { enum: ['trigger', 'context'] },
        condition: { type: 'string', description: 'JSONata expression (trigger connectors only).' },
        route_key: nonEmptyString,
        fallback: { type: 'boolean' },
        required: { type: 'boolean' },
        ui: { $ref: '#/$defs/ui' },
      },
    },
  },
} as const;
