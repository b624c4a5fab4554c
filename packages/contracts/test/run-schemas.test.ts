import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainst, type NodeRun, type Run } from '../src/index.ts';
import { nodeRun, routing, run } from './samples.ts';

function failsAt(name: string, value: unknown, path: string): void {
  const r = validateAgainst(name, value);
  assert.equal(r.valid, false);
  assert.ok(r.errors.some((e) => e.path === path), `expected an error at ${path}, got ${JSON.stringify(r.errors)}`);
}

function with_<T>(value: T, fn: (v: Record<string, any>) => void): unknown {
  const c = structuredClone(value) as Record<string, any>;
  fn(c);
  return c;
}

test('the typed sample routing record validates', () => {
  assert.deepEqual(validateAgainst('routing', routing), { valid: true, errors: [] });
});

test('a terminal routing record with no keys validates', () => {
  const terminal = { matched_connector_ids: [], route_key: null, route_keys: [], routing_state: 'terminal', evaluated: [] };
  assert.equal(validateAgainst('routing', terminal).valid, true);
});

test('routing_state must be known', () => failsAt('routing', with_(routing, (r) => { r.routing_state = 'done'; }), '/routing_state'));
test('an evaluated entry needs a result or an error', () => failsAt('routing', with_(routing, (r) => { r.evaluated = [{ connector_id: 'e1' }]; }), '/evaluated/0'));
test('an evaluated entry may not have both a result and an error', () =>
  failsAt('routing', with_(routing, (r) => { r.evaluated = [{ connector_id: 'e1', result: true, error: { code: 'x', message: 'y' } }]; }), '/evaluated/0'));

test('the typed sample node run validates', () => {
  assert.deepEqual(validateAgainst('node-run', nodeRun), { valid: true, errors: [] });
});

test('a queued node run (nulls everywhere) validates', () => {
  const queued = {
    ...nodeRun, status: 'queued', outcome: null, warnings: [], output: null, routing: null, attempts: [],
    started_at: null, finished_at: null, usage: null,
  } satisfies NodeRun;
  assert.equal(validateAgainst('node-run', queued).valid, true);
});

test('a failed node run with an error validates', () => {
  const failed = {
    ...nodeRun, status: 'failed', outcome: null, routing: null,
    error: { code: 'output_invalid', message: 'bad', details: {}, retryable: false },
  } satisfies NodeRun;
  assert.equal(validateAgainst('node-run', failed).valid, true);
});

test('node run status must be known', () => failsAt('node-run', with_(nodeRun, (n) => { n.status = 'done'; }), '/status'));
test('node run iteration starts at 1', () => failsAt('node-run', with_(nodeRun, (n) => { n.iteration = 0; }), '/iteration'));
test('node run outcome must be known', () => failsAt('node-run', with_(nodeRun, (n) => { n.outcome = 'ok'; }), '/outcome'));
test('node run fields are all required', () => failsAt('node-run', with_(nodeRun, (n) => { delete n.idempotency_key; }), '/idempotency_key'));
test('node run rejects unknown fields', () => failsAt('node-run', with_(nodeRun, (n) => { n.run_id = 'r1'; }), '/run_id'));
test('node run errors carry code, message, details and retryable', () =>
  failsAt('node-run', with_(nodeRun, (n) => { n.error = { code: 'x', message: 'y' }; }), '/error/details'));
test('node run timestamps are ISO date-times', () => failsAt('node-run', with_(nodeRun, (n) => { n.started_at = 'yesterday'; }), '/started_at'));
test('attempt numbers start at 1', () => failsAt('node-run', with_(nodeRun, (n) => { n.attempts[0].n = 0; }), '/attempts/0/n'));
test('input snapshot tokens need their source fields', () =>
  failsAt('node-run', with_(nodeRun, (n) => { delete n.input_snapshot.tokens[0].source_node_id; }), '/input_snapshot/tokens/0/source_node_id'));

test('the typed sample run (with node runs) validates', () => {
  assert.deepEqual(validateAgainst('run', run), { valid: true, errors: [] });
});

test('a run listed without node runs validates', () => {
  const { node_runs: _omitted, ...listed } = run;
  assert.equal(validateAgainst('run', listed satisfies Run).valid, true);
});

test('run status must be known', () => failsAt('run', with_(run, (r) => { r.status = 'done'; }), '/status'));
test('run flowchart_version is a positive integer', () => failsAt('run', with_(run, (r) => { r.flowchart_version = 0; }), '/flowchart_version'));
test('run leftover tokens need node, connector and source node run', () =>
  failsAt('run', with_(run, (r) => { delete r.leftover_tokens[0].connector_id; }), '/leftover_tokens/0/connector_id'));
test('run node runs are validated as node runs', () => failsAt('run', with_(run, (r) => { r.node_runs[0].status = 'x'; }), '/node_runs/0/status'));
test('run rejects unknown fields', () => failsAt('run', with_(run, (r) => { r.owner = 'me'; }), '/owner'));
test('run warnings carry code and message', () => failsAt('run', with_(run, (r) => { r.warnings = [{ code: 'fan_in_tokens_discarded' }]; }), '/warnings/0/message'));
