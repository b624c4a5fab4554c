import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContractsAjv, getSchema, LlmctlError, SCHEMA_NAMES, SCHEMAS, schemaId, validateAgainst } from '../src/index.ts';

const EXPECTED = [
  'flowchart-v1', 'routing', 'node-run', 'run', 'node-output', 'artifact', 'tool-result', 'memory-output', 'plan-output',
  'milestone-output', 'decision-output', 'rag-output', 'error-envelope', 'event-envelope', 'run-event',
];

test('SCHEMAS holds every published schema by name', () => {
  assert.deepEqual(Object.keys(SCHEMAS).sort(), [...EXPECTED].sort());
  assert.deepEqual([...SCHEMA_NAMES].sort(), [...EXPECTED].sort());
});

test('every schema declares the 2020-12 dialect, its $id and x-contract-version v1', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const s = schema as Record<string, unknown>;
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema', name);
    assert.equal(s.$id, `https://llmctl.dev/contracts/v1/${name}.schema.json`, name);
    assert.equal(s['x-contract-version'], 'v1', name);
    assert.equal(typeof s.title, 'string', name);
  }
});

test('schemaId builds the published $id', () => {
  assert.equal(schemaId('flowchart-v1'), 'https://llmctl.dev/contracts/v1/flowchart-v1.schema.json');
});

test('getSchema accepts a name with or without the .schema.json suffix', () => {
  assert.equal(getSchema('flowchart-v1'), SCHEMAS['flowchart-v1']);
  assert.equal(getSchema('flowchart-v1.schema.json'), SCHEMAS['flowchart-v1']);
  assert.equal(getSchema('run.schema.json'), SCHEMAS.run);
});

test('getSchema returns undefined for an unknown name', () => {
  assert.equal(getSchema('nope'), undefined);
  assert.equal(getSchema('toString'), undefined);
});

test('every schema compiles in Ajv strict mode', () => {
  const ajv = getContractsAjv();
  for (const schema of Object.values(SCHEMAS)) {
    assert.ok(ajv.getSchema((schema as { $id: string }).$id), (schema as { $id: string }).$id);
  }
});

test('every schema is valid against the 2020-12 meta-schema', () => {
  const ajv = getContractsAjv();
  for (const [name, schema] of Object.entries(SCHEMAS)) assert.equal(ajv.validateSchema(schema), true, name);
});

test('schemas are plain JSON (they survive a JSON round trip unchanged)', () => {
  for (const schema of Object.values(SCHEMAS)) assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
});

test('the shared Ajv instance is built once', () => {
  assert.equal(getContractsAjv(), getContractsAjv());
});

test('validateAgainst accepts the .schema.json suffix', () => {
  assert.equal(validateAgainst('node-output.schema.json', { text: 'hi' }).valid, true);
});

test('validateAgainst throws not_found for an unknown schema', () => {
  assert.throws(() => validateAgainst('nope', {}), (e: unknown) => e instanceof LlmctlError && e.code === 'not_found');
});

test('validateAgainst reports a JSON-pointer path, a message and the schema path', () => {
  const r = validateAgainst('routing', { matched_connector_ids: [], route_key: null, route_keys: [], routing_state: 'lost', evaluated: [] });
  assert.equal(r.valid, false);
  assert.deepEqual(r.errors, [{
    path: '/routing_state',
    message: '/routing_state must be one of "matched", "fallback", "no_route", "terminal"',
    schema_path: '#/properties/routing_state/enum',
  }]);
});

test('validateAgainst points a missing property at the property itself', () => {
  const r = validateAgainst('error-envelope', { ok: false, correlation_id: 'c' });
  assert.deepEqual(r.errors.map((e) => e.path), ['/error']);
});

test('validateAgainst returns every error at once', () => {
  const r = validateAgainst('milestone-output', { milestone_key: '', title: 1, status: 'open', terminated: 'no' });
  assert.deepEqual(r.errors.map((e) => e.path).sort(), ['/milestone_key', '/terminated', '/title']);
});
