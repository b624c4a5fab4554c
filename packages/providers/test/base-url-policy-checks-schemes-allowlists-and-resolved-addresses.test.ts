import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlmctlError } from '@llmctl/contracts';
import { checkBaseUrl, parseAllowedBaseUrls, type Lookup } from '../src/index.ts';

const dns = (table: Record<string, string[]>): Lookup => async (host) => {
  const a = table[host];
  if (!a) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return a;
};

test('a host name that resolves to a link-local or metadata address is forbidden unless that address is listed', async () => {
  const lookup = dns({ 'rebind.example': ['169.254.169.254'], 'mixed.example': ['10.1.2.3', 'fe80::1'], 'ok.example': ['10.1.2.3'] });
  assert.equal((await checkBaseUrl('http://rebind.example/v1', { lookup })).verdict, 'forbidden');
  assert.equal((await checkBaseUrl('http://mixed.example/v1', { lookup, allowlist: parseAllowedBaseUrls('10.0.0.0/8') })).verdict, 'forbidden', 'every resolved address counts');
  assert.equal((await checkBaseUrl('http://ok.example/v1', { lookup, allowlist: parseAllowedBaseUrls('10.0.0.0/8') })).verdict, 'trusted');
  assert.equal((await checkBaseUrl('http://rebind.example/v1', { lookup, allowlist: parseAllowedBaseUrls('169.254.169.254/32') })).verdict, 'trusted');
  assert.equal((await checkBaseUrl('http://rebind.example/v1', { lookup, allowlist: parseAllowedBaseUrls('0.0.0.0/0') })).verdict, 'forbidden', 'a catch-all CIDR is not an explicit listing');
  assert.equal((await checkBaseUrl('http://ok.example/v1', { lookup })).verdict, 'untrusted');
});

test('allowlist entries: host, host:port, URL prefix, CIDR and *.suffix', async () => {
  const lookup = dns({ 'vllm.internal': ['10.9.9.9'], 'a.corp.example': ['192.0.2.1'] });
  const list = parseAllowedBaseUrls('127.0.0.1:8000, https://vllm.internal:8000/v1, 192.168.0.0/16, *.corp.example, [::1]');
  const v = async (u: string) => (await checkBaseUrl(u, { lookup, allowlist: list })).verdict;
  assert.equal(await v('http://127.0.0.1:8000/v1'), 'trusted');
  assert.equal(await v('http://127.0.0.1:8001/v1'), 'untrusted', 'another port');
  assert.equal(await v('https://vllm.internal:8000/v1/chat'), 'trusted');
  assert.equal(await v('https://vllm.internal:8000/v2'), 'untrusted', 'outside the prefix path');
  assert.equal(await v('http://vllm.internal:8000/v1'), 'untrusted', 'another scheme');
  assert.equal(await v('http://192.168.4.5/'), 'trusted');
  assert.equal(await v('http://a.corp.example/'), 'trusted');
  assert.equal(await v('http://[::1]:9/'), 'trusted');
  assert.equal(await v('https://api.openai.com/v1'), 'untrusted');
  assert.equal((await checkBaseUrl('https://api.openai.com/v1', { lookup, trusted: ['https://api.openai.com/'] })).verdict, 'trusted');
  assert.equal((await checkBaseUrl('https://europe-west4-aiplatform.googleapis.com/v1', { lookup, trusted: ['https://*-aiplatform.googleapis.com/'] })).verdict, 'trusted');
  assert.equal((await checkBaseUrl('https://evil.com/x-aiplatform.googleapis.com/', { lookup, trusted: ['https://*-aiplatform.googleapis.com/'] })).verdict, 'untrusted');
});

test('bad allowlist entries and non-http schemes are validation_failed', async () => {
  for (const bad of ['ftp://x', '10.0.0.0/33', 'not a host', 'http://']) {
    assert.throws(() => parseAllowedBaseUrls(bad), (e: unknown) => e instanceof LlmctlError && e.code === 'validation_failed', bad);
  }
  for (const url of ['file:///etc/passwd', 'gopher://x/', 'data:,x', 'ftp://h/']) {
    await assert.rejects(checkBaseUrl(url), (e: unknown) => e instanceof LlmctlError && e.code === 'validation_failed', url);
  }
});
