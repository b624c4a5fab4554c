import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelRequestBody, validateModelForm, type ModelFormValues } from '../src/core/model-form.ts';

const v = (p: Partial<ModelFormValues>): ModelFormValues => ({ name: 'm', provider: 'openai', model: 'gpt-4o-mini', base_url: '', settingsText: '{}', ...p });

test('a complete OpenAI model form is valid', () => {
  assert.deepEqual(validateModelForm(v({})), {});
});

test('name and model are required (model optional for scripted)', () => {
  assert.equal(validateModelForm(v({ name: ' ' })).name, 'required');
  assert.equal(validateModelForm(v({ model: '' })).model, 'required');
  assert.equal(validateModelForm(v({ provider: 'scripted', model: '', settingsText: '{"responses":[]}' })).model, undefined);
});

test('vLLM and OpenAI-compatible models need an http(s) base URL', () => {
  assert.equal(validateModelForm(v({ provider: 'vllm' })).base_url, 'required for this provider');
  assert.equal(validateModelForm(v({ provider: 'vllm', base_url: 'ftp://x' })).base_url, 'must be an http(s) URL');
  assert.equal(validateModelForm(v({ provider: 'openai_compatible', base_url: 'http://127.0.0.1:8000/v1' })).base_url, undefined);
});

test('settings must be a JSON object, with responses for scripted models', () => {
  assert.ok(validateModelForm(v({ settingsText: '[1]' })).settingsText);
  assert.ok(validateModelForm(v({ settingsText: '{' })).settingsText);
  assert.match(validateModelForm(v({ provider: 'scripted', settingsText: '{}' })).settingsText ?? '', /responses/);
});

test('an unknown provider is rejected', () => {
  assert.equal(validateModelForm(v({ provider: 'codex' })).provider, 'choose a provider');
});

test('the request body omits optional fields left empty (never ""), and an emptied base URL of an existing model is null', () => {
  const scripted = modelRequestBody(v({ provider: 'scripted', model: ' ', settingsText: '{"responses":[{"output":"hi"}]}' }), false);
  assert.deepEqual(scripted, { name: 'm', provider: 'scripted', settings: { responses: [{ output: 'hi' }] } });
  assert.deepEqual(modelRequestBody(v({}), false), { name: 'm', provider: 'openai', model: 'gpt-4o-mini', settings: {} });
  assert.equal(modelRequestBody(v({}), true).base_url, null);
  assert.equal(modelRequestBody(v({ base_url: ' http://h/v1 ' }), true).base_url, 'http://h/v1');
});
