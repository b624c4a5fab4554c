import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertErrorEnvelope } from './support/envelope.ts';
import { cliEnv, runCli } from './support/cli.ts';
import { scriptedModel, validDoc } from './support/documents.ts';
import { startTestServer } from './support/test-server.ts';
import { validateCommand } from '../src/commands/validate.ts';

const arrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

// Issue 13, defect 10: 10,000-deep JSON reached the handlers (500 on some paths); a 64-level limit is checked on the
// raw text before JSON.parse recurses, wherever JSON is accepted, and `llmctl validate` applies the same limits.

test('JSON nested deeper than 64 levels is 400 validation_failed on every JSON route', async () => {
  const s = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const fc = await s.request('POST', '/api/flowcharts', validDoc());
    const id = fc.body.data.id as string;
    const deep = [arrays(10_000), objects(10_000), `{"document":${arrays(100_000)}}`];
    const routes: [string, string][] = [
      ['POST', '/api/flowcharts/validate'], ['POST', '/api/flowcharts'], ['PUT', `/api/flowcharts/${id}`], ['POST', `/api/flowcharts/${id}/runs`],
      ['POST', '/api/models'], ['PUT', '/api/settings/runtime'], ['POST', '/api/rag/collections'],
    ];
    for (const [method, path] of routes) {
      for (const body of deep) {
        const res = await s.request(method, path, body);
        assertErrorEnvelope(res, 400, 'validation_failed');
        assert.match(res.body.error.message, /nested deeper than 64/, `${method} ${path}`);
      }
    }
    assert.equal((await s.request('GET', '/api/runs')).body.page.total, 0);
    assert.equal((await s.request('GET', `/api/flowcharts/${id}`)).body.data.version, 1);
  } finally {
    await s.close();
  }
});

test('the nesting limit counts brackets outside strings only: 64 levels pass, 65 do not', async () => {
  const s = await startTestServer();
  try {
    // {"document": …} is one level, so 63 more arrays make 64.
    const at64 = await s.request('POST', '/api/flowcharts/validate', `{"document":${arrays(63)}}`);
    assert.equal(at64.status, 200, at64.text);
    assert.equal(at64.body.data.valid, false);
    assertErrorEnvelope(await s.request('POST', '/api/flowcharts/validate', `{"document":${arrays(64)}}`), 400, 'validation_failed');
    // Brackets inside strings (escaped quotes included) are text, not nesting.
    const doc = { ...validDoc(), description: `${'[{'.repeat(500)} \\" ${'['.repeat(500)}` };
    const inString = await s.request('POST', '/api/flowcharts/validate', doc);
    assert.equal(inString.status, 200, inString.text);
  } finally {
    await s.close();
  }
});

test('llmctl validate refuses what the server refuses: too deep, over the body limit, unstorable strings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-validate-'));
  try {
    const deepFile = join(dir, 'deep.json');
    await writeFile(deepFile, `{"schema_version":1,"name":"d","nodes":${arrays(100_000)}}`);
    const deep = await runCli(['validate', deepFile], cliEnv());
    assert.equal(deep.code, 1, deep.stderr);
    assert.match(deep.stdout, /error \[validation_failed\] .*nested deeper than 64 levels/);

    // The other cases in-process (the command itself; spawning the CLI is slow on a busy machine).
    const validate = async (file: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string }> => {
      const lines: string[] = [];
      const saved = process.env.LLMCTL_BODY_LIMIT;
      if (env.LLMCTL_BODY_LIMIT) process.env.LLMCTL_BODY_LIMIT = env.LLMCTL_BODY_LIMIT;
      else delete process.env.LLMCTL_BODY_LIMIT;
      try {
        const code = await validateCommand({ args: [file], flags: {}, out: (l) => lines.push(l), err: (l) => lines.push(l) });
        return { code, stdout: lines.join('\n') };
      } finally {
        if (saved === undefined) delete process.env.LLMCTL_BODY_LIMIT;
        else process.env.LLMCTL_BODY_LIMIT = saved;
      }
    };
    // A valid document padded with whitespace to 2 MiB: over the default 1 MiB limit, within a 4 MiB one.
    const bigFile = join(dir, 'big.json');
    const text = JSON.stringify(validDoc('Big', 'm1'));
    await writeFile(bigFile, text.slice(0, -1) + ' '.repeat(2 * 1024 * 1024) + '}');
    const big = await validate(bigFile);
    assert.equal(big.code, 1);
    assert.match(big.stdout, /error \[payload_too_large\] .*at most 1048576 bytes \(LLMCTL_BODY_LIMIT\)/);
    const raised = await validate(bigFile, { LLMCTL_BODY_LIMIT: '4mb' });
    assert.equal(raised.code, 0, raised.stdout);
    assert.match(raised.stdout, /valid/);

    const nulFile = join(dir, 'nul.json');
    await writeFile(nulFile, JSON.stringify({ ...validDoc(), description: 'a\u0000b' }));
    const nul = await validate(nulFile);
    assert.equal(nul.code, 1);
    assert.match(nul.stdout, /error \[validation_failed\] description: .*NUL/);
    const deepInProcess = await validate(deepFile);
    assert.equal(deepInProcess.code, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
