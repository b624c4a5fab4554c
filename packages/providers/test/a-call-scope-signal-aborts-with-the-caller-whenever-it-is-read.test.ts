import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlmctlError } from '@llmctl/contracts';
import { CallScope, withCallScope } from '../src/call-scope.ts';

test('a call scope signal read before the caller aborts aborts with the caller reason, and the listener is removed on dispose', () => {
  const caller = new AbortController();
  const scope = new CallScope({ signal: caller.signal });
  const signal = scope.signal;
  assert.equal(signal.aborted, false);
  assert.equal(scope.signal, signal);
  const reason = new LlmctlError('interrupted', 'stop');
  caller.abort(reason);
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason, reason);
  assert.equal(scope.abortState(), reason);
  scope.dispose();
});

test('a call scope signal first read after the caller aborted is already aborted with its reason', () => {
  const caller = new AbortController();
  const scope = new CallScope({ signal: caller.signal });
  caller.abort('gone');
  assert.equal(scope.signal.aborted, true);
  assert.equal(scope.signal.reason, 'gone');
  assert.equal(scope.abortState()?.code, 'interrupted');
  scope.dispose();
});

test('a call scope with a timeout aborts its signal with provider_timeout', async () => {
  await assert.rejects(withCallScope({ timeoutMs: 1 }, (scope) => new Promise((_, reject) => {
    scope.signal.addEventListener('abort', () => reject(scope.signal.reason), { once: true });
  })), (err: unknown) => err instanceof LlmctlError && err.code === 'provider_timeout');
});

test('a call scope without a signal read answers without aborting, and a caller abort during the call is still seen', async () => {
  const caller = new AbortController();
  assert.equal(await withCallScope({ signal: caller.signal }, async () => 'ok'), 'ok');
  await assert.rejects(withCallScope({ signal: caller.signal }, async () => {
    caller.abort(new LlmctlError('interrupted', 'stopped mid-call'));
    return 'late';
  }), (err: unknown) => err instanceof LlmctlError && err.message === 'stopped mid-call');
});
