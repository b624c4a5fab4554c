import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_TYPES, validateAgainst, type EventEnvelope } from '../src/index.ts';
import { event } from './samples.ts';

const errorEnvelope = {
  ok: false,
  error: { contract_version: 'v1', code: 'flowchart_invalid', message: 'invalid', details: { errors: [], warnings: [] }, request_id: 'req-1', retryable: false },
  correlation_id: 'req-1',
};

test('the error envelope of api.md validates', () => {
  assert.deepEqual(validateAgainst('error-envelope', errorEnvelope), { valid: true, errors: [] });
});

test('the error envelope has ok: false', () => {
  assert.equal(validateAgainst('error-envelope', { ...errorEnvelope, ok: true }).valid, false);
});

test('the error envelope requires every error field', () => {
  const { retryable: _r, ...error } = errorEnvelope.error;
  assert.deepEqual(validateAgainst('error-envelope', { ...errorEnvelope, error }).errors.map((e) => e.path), ['/error/retryable']);
});

test('error codes are snake_case', () => {
  const r = validateAgainst('error-envelope', { ...errorEnvelope, error: { ...errorEnvelope.error, code: 'Not-Found' } });
  assert.deepEqual(r.errors.map((e) => e.path), ['/error/code']);
});

test('the error envelope rejects unknown fields', () => {
  assert.equal(validateAgainst('error-envelope', { ...errorEnvelope, data: {} }).valid, false);
});

test('the typed sample event envelope validates', () => {
  assert.deepEqual(validateAgainst('event-envelope', event), { valid: true, errors: [] });
});

test('every public event type fits the envelope', () => {
  for (const event_type of EVENT_TYPES) assert.equal(validateAgainst('event-envelope', { ...event, event_type }).valid, true, event_type);
});

test('a token event without sequence validates', () => {
  const token = { ...event, event_type: 'flowchart:node:token', sequence: null, correlation_id: null, request_id: null } satisfies EventEnvelope;
  assert.equal(validateAgainst('event-envelope', token).valid, true);
});

test('an event outside runs has null run and flowchart ids', () => {
  const model = { ...event, event_type: 'config:model:created', sequence: null, run_id: null, flowchart_id: null, room_keys: [] } satisfies EventEnvelope;
  assert.equal(validateAgainst('event-envelope', model).valid, true);
});

test('event_type must be domain:entity:action', () => {
  assert.equal(validateAgainst('event-envelope', { ...event, event_type: 'node_updated' }).valid, false);
});

test('event sequence starts at 1', () => {
  assert.equal(validateAgainst('event-envelope', { ...event, sequence: 0 }).valid, false);
});

test('event contract_version is v1', () => {
  assert.equal(validateAgainst('event-envelope', { ...event, contract_version: 'v2' }).valid, false);
});

test('event envelope rejects unknown fields', () => {
  assert.equal(validateAgainst('event-envelope', { ...event, extra: 1 }).valid, false);
});
