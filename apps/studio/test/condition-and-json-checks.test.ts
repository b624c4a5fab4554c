import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonObject, parseJsonSchema, parseTemplateText } from '../src/core/json-text.ts';
import { checkCondition } from '../src/core/condition-check.ts';

test('a valid JSONata condition has no error', () => {
  assert.equal(checkCondition("output.category = 'bug'"), null);
  assert.equal(checkCondition('node.iteration < 3 and $exists(output.x)'), null);
  assert.equal(checkCondition(''), null);
});

test('a broken JSONata condition reports the parser message', () => {
  const err = checkCondition("output.category = 'bug");
  assert.ok(err);
  assert.match(err, /S0/);
});

test('output schemas must be JSON objects with known types', () => {
  assert.equal(parseJsonSchema('{"type":"object"}').ok, true);
  assert.equal(parseJsonSchema('').ok, true);
  assert.equal(parseJsonSchema('{"type":"obj"}').ok, false);
  assert.equal(parseJsonSchema('{"type":').ok, false);
  assert.equal(parseJsonObject('[1]').ok, false);
});

test('template text that is a JSON object becomes a JSON template, other text stays a string', () => {
  assert.deepEqual(parseTemplateText('{"a":"{{input.x}}"}'), { a: '{{input.x}}' });
  assert.equal(parseTemplateText('Hello {{input.name}}'), 'Hello {{input.name}}');
  assert.equal(parseTemplateText('{not json}'), '{not json}');
});
