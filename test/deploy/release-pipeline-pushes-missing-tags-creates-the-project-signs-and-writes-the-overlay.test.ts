import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = join(root, 'deploy/release/release.mjs');

/** A stub registry + Harbor API on 127.0.0.1: `existing` tags answer 200, others 404; records every request. */
async function stubRegistry(existing: Set<string>, projects: Set<string>, opts: { bearer?: boolean } = {}) {
  const requests: { method: string; url: string; auth?: string; body?: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'tok-123' }));
        return;
      }
      const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      if (m) {
        if (opts.bearer && req.headers.authorization !== 'Bearer tok-123') {
          const port = (server.address() as { port: number }).port;
          res.writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="stub",scope="repository:${m[1]}:pull"` }).end();
          return;
        }
        res.writeHead(existing.has(`${m[1]}:${m[2]}`) ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (url.pathname === '/api/v2.0/projects' && req.method === 'HEAD') {
        res.writeHead(projects.has(url.searchParams.get('project_name') ?? '') ? 200 : 404).end();
        return;
      }
      if (url.pathname === '/api/v2.0/projects' && req.method === 'POST') {
        projects.add((JSON.parse(body) as { project_name: string }).project_name);
        res.writeHead(201).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, host: url.slice('http://'.length), requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A temp dir with stub `docker` and `cosign` that append their argv (and the length of stdin) to calls.log. */
function stubTools(failOn?: string): { dir: string; calls(): string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'llmctl-release-'));
  for (const tool of ['docker', 'cosign']) {
    const file = join(dir, tool);
    writeFileSync(file, `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
let stdin = '';
if (args.includes('--password-stdin')) stdin = fs.readFileSync(0, 'utf8');
fs.appendFileSync(${JSON.stringify(join(dir, 'calls.log'))}, ${JSON.stringify(tool)} + ' ' + args.join(' ') + (stdin ? ' <stdin:' + stdin.trim().length + '>' : '') + '\\n');
process.exit(${JSON.stringify(failOn ?? '')} && (${JSON.stringify(tool)} + ' ' + args.join(' ')).startsWith(${JSON.stringify(failOn ?? '')}) ? 3 : 0);
`);
    chmodSync(file, 0o755);
  }
  return { dir, calls: () => (existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n') : []) };
}

function copyOverlay(into: string): string {
  cpSync(join(root, 'deploy/kubernetes'), join(into, 'kubernetes'), { recursive: true });
  return join(into, 'kubernetes/overlays/production');
}

function runRelease(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env, cwd: root });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const toolEnv = (dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv =>
  ({ PATH: `${dir}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir, ...extra });

test('a release builds and pushes only missing tags, tags latest, creates the Harbor project, signs and writes the overlay', async () => {
  const reg = await stubRegistry(new Set(['llmctl/llmctl-server:0.2.0']), new Set());
  const tools = stubTools();
  try {
    const overlay = copyOverlay(tools.dir);
    const r = await runRelease(['--version', '0.2.0', '--registry', reg.url, '--project', 'llmctl', '--latest', '--create-project',
      '--sign', '--overlay', overlay, '--revision', 'abc123'], toolEnv(tools.dir, { LLMCTL_REGISTRY_USERNAME: 'robot', LLMCTL_REGISTRY_PASSWORD: 's3cret-pw' }));
    assert.equal(r.code, 0, r.out);
    const calls = tools.calls();
    const h = reg.host;
    assert.equal(calls[0], `docker login ${h} --username robot --password-stdin <stdin:9>`);
    assert.ok(!calls.some((c) => c.startsWith(`docker build --file deploy/docker/llmctl-server.Dockerfile`)), 'existing server tag is not rebuilt');
    assert.ok(calls.includes(`docker pull ${h}/llmctl/llmctl-server:0.2.0`));
    assert.ok(calls.includes(`docker push ${h}/llmctl/llmctl-server:latest`));
    for (const [name, tag, variant] of [['llmctl-executor-frontier', '0.2.0', ''], ['llmctl-executor-vllm', '0.2.0', ' --build-arg VARIANT=cuda'], ['llmctl-executor-vllm', '0.2.0-cpu', ' --build-arg VARIANT=cpu']] as const) {
      const ref = `${h}/llmctl/${name}:${tag}`;
      assert.ok(calls.includes(`docker build --file deploy/docker/${name}.Dockerfile --tag ${ref} --build-arg VERSION=0.2.0 --build-arg REVISION=abc123 --build-arg SOURCE=https://github.com/llmctl/llmctl-studio${variant} .`), `build ${ref}\n${calls.join('\n')}`);
      assert.ok(calls.indexOf(`docker push ${ref}`) > calls.findIndex((c) => c.includes(`--tag ${ref} `)));
      assert.ok(calls.includes(`cosign sign --yes ${ref}`));
    }
    assert.ok(calls.includes(`docker push ${h}/llmctl/llmctl-executor-vllm:latest-cpu`));
    assert.ok(!calls.some((c) => c === `cosign sign --yes ${h}/llmctl/llmctl-server:0.2.0`), 'an existing tag is not re-signed');
    // Harbor project: looked up, then created with the registry credentials (basic auth), never printed.
    const post = reg.requests.find((q) => q.method === 'POST');
    assert.deepEqual(JSON.parse(post!.body!), { project_name: 'llmctl', metadata: { public: 'false' } });
    assert.equal(post!.auth, `Basic ${Buffer.from('robot:s3cret-pw').toString('base64')}`);
    assert.doesNotMatch(r.out, /s3cret-pw/);
    assert.ok(reg.requests.some((q) => q.url === '/v2/llmctl/llmctl-executor-vllm/manifests/0.2.0-cpu'));
    // The overlay carries the new image names and tags, comments kept, and still renders.
    const k = readFileSync(join(overlay, 'kustomization.yaml'), 'utf8');
    assert.match(k, /^# Production:/);
    for (const name of ['llmctl-server', 'llmctl-executor-frontier', 'llmctl-executor-vllm']) {
      assert.match(k, new RegExp(`- name: ${name}\\n {4}newName: ${h.replace('.', '\\.')}/llmctl/${name}\\n {4}newTag: 0\\.2\\.0\\n`));
    }
    const rendered = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.ok(rendered.stdout.includes(`image: ${h}/llmctl/llmctl-server:0.2.0`));
    assert.match(r.out, /release 0\.2\.0: \d+ pushed, 1 skipped, 3 signed/);
  } finally {
    await reg.close();
    rmSync(tools.dir, { recursive: true, force: true });
  }
});

test('an existing Harbor project is not created again and registry bearer-token challenges are answered', async () => {
  const reg = await stubRegistry(new Set(['llmctl/llmctl-executor-frontier:1.0.0']), new Set(['llmctl']), { bearer: true });
  const tools = stubTools();
  try {
    const r = await runRelease(['--version', '1.0.0', '--registry', reg.url, '--project', 'llmctl', '--create-project'], toolEnv(tools.dir));
    assert.equal(r.code, 0, r.out);
    assert.ok(!reg.requests.some((q) => q.method === 'POST'));
    assert.ok(reg.requests.some((q) => q.url.startsWith('/token?') && q.url.includes('scope=repository%3Allmctl%2Fllmctl-server%3Apull')));
    assert.ok(!tools.calls().some((c) => c.includes('llmctl-executor-frontier.Dockerfile')));
    assert.match(r.out, /llmctl-executor-frontier:1\.0\.0 exists, skipped/);
  } finally {
    await reg.close();
    rmSync(tools.dir, { recursive: true, force: true });
  }
});

test('--dry-run prints every command and runs none, touches neither the registry nor the overlay', async () => {
  const reg = await stubRegistry(new Set(), new Set());
  const tools = stubTools();
  try {
    const overlay = copyOverlay(tools.dir);
    const before = readFileSync(join(overlay, 'kustomization.yaml'), 'utf8');
    const r = await runRelease(['--version', '0.3.0', '--registry', reg.url, '--project', 'p1', '--latest', '--sign', '--overlay', overlay, '--dry-run'], toolEnv(tools.dir));
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(tools.calls(), []);
    assert.deepEqual(reg.requests, []);
    assert.equal(readFileSync(join(overlay, 'kustomization.yaml'), 'utf8'), before);
    assert.equal(r.out.split('\n').filter((l) => l.startsWith('+ docker build')).length, 4);
    assert.equal(r.out.split('\n').filter((l) => l.startsWith('+ docker push')).length, 8);
    assert.equal(r.out.split('\n').filter((l) => l.startsWith('+ cosign sign')).length, 4);
    assert.match(r.out, /# would set images in .*kustomization\.yaml/);
  } finally {
    await reg.close();
    rmSync(tools.dir, { recursive: true, force: true });
  }
});

test('a failing docker build stops the release with a clear message and leaves the overlay alone', async () => {
  const reg = await stubRegistry(new Set(), new Set());
  const tools = stubTools('docker build --file deploy/docker/llmctl-executor-frontier');
  try {
    const overlay = copyOverlay(tools.dir);
    const before = readFileSync(join(overlay, 'kustomization.yaml'), 'utf8');
    const r = await runRelease(['--version', '0.4.0', '--registry', reg.url, '--project', 'llmctl', '--overlay', overlay], toolEnv(tools.dir));
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /release failed: docker build --file … exited with 3/);
    assert.equal(readFileSync(join(overlay, 'kustomization.yaml'), 'utf8'), before);
    assert.ok(!tools.calls().some((c) => c.includes('llmctl-executor-vllm')));
  } finally {
    await reg.close();
    rmSync(tools.dir, { recursive: true, force: true });
  }
});

test('bad arguments are a usage error (exit 2)', async () => {
  const r = await runRelease(['--version', 'v1', '--registry', 'harbor', '--project', 'x'], process.env);
  assert.equal(r.code, 2);
  assert.match(r.out, /--version X\.Y\.Z is required/);
});
