/**
 * The process part of the sandbox escape catalogue (issue 13): what a command run by `run_command` can reach. It runs
 * under bubblewrap: no server environment, no server /proc, nothing of the host but system directories, the
 * workspace as the only writable host directory, no network, bounded processes, file size and CPU.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { invokeTool, runCommandTool, ToolRegistry, type CommandToolOptions } from '../src/index.ts';
import { eventually, isAlive, makeCtx, tempDir } from './helpers.ts';

const root = tempDir();
const ws = path.join(root.dir, 'ws');
const dataDir = path.join(root.dir, 'data');
const SECRETS: Record<string, string> = {
  LLMCTL_MASTER_KEY: 'master-key-must-not-leak',
  DATABASE_URL: 'postgres://u:db-password-must-not-leak@localhost/db',
  OPENAI_API_KEY: 'sk-openai-must-not-leak',
  GITHUB_TOKEN: 'ghp-token-must-not-leak',
};
const ALLOW = ['env', 'cat', 'sh', 'ls', 'touch', 'node', 'head', 'id'];

before(() => {
  mkdirSync(ws);
  mkdirSync(dataDir);
  writeFileSync(path.join(dataDir, 'secret.txt'), 'data-dir-secret');
  Object.assign(process.env, SECRETS);
});
after(() => {
  for (const k of Object.keys(SECRETS)) delete process.env[k];
  root.cleanup();
});

async function run(input: Record<string, unknown>, options: Partial<CommandToolOptions> = {}) {
  const registry = new ToolRegistry([runCommandTool({ allowlist: ALLOW, ...options })]);
  const { ctx } = makeCtx(ws);
  const r = await invokeTool(registry, 'run_command', input, ctx());
  return { r, out: r.output as { stdout: string; stderr: string; exit_code: number | null } | undefined };
}

function leaks(text: string): string[] {
  return Object.values(SECRETS).filter((s) => text.includes(s));
}

test('the environment carries no server secret (LLMCTL_*, DATABASE_URL, *_KEY, *_TOKEN)', async () => {
  const { out } = await run({ program: 'env' });
  const names = (out?.stdout ?? '').split('\n').filter(Boolean).map((l) => l.slice(0, l.indexOf('=')));
  assert.ok(names.length > 0);
  for (const n of names.filter((x) => x !== 'LLMCTL_IDEMPOTENCY_KEY')) assert.doesNotMatch(n, /^LLMCTL_|^DATABASE_URL$|_KEY$|_TOKEN$/, n);
  assert.deepEqual(leaks(out?.stdout ?? ''), []);
});

test('the server process and its environ are out of reach: /proc is the sandbox\'s own PID namespace', async () => {
  const server = await run({ program: 'cat', args: [`/proc/${process.pid}/environ`] });
  assert.notEqual(server.out?.exit_code, 0);
  assert.deepEqual(leaks(JSON.stringify(server.r)), []);
  const init = await run({ program: 'cat', args: ['/proc/1/environ'] });
  assert.deepEqual(leaks(JSON.stringify(init.r)), []);
  const parent = await run({ program: 'sh', args: ['-c', 'cat /proc/$PPID/environ /proc/[0-9]*/environ'] });
  assert.deepEqual(leaks(JSON.stringify(parent.r)), []);
  const pids = await run({ program: 'ls', args: ['/proc'] });
  const visible = (pids.out?.stdout ?? '').split('\n').filter((n) => /^\d+$/.test(n));
  assert.ok(visible.length > 0 && visible.length < 10, `only the sandbox's few processes are visible: ${visible.join(' ')}`);
  assert.ok(!visible.includes(String(process.pid)) || process.pid < 10);
});

test('nothing of the host but system directories is visible: no data dir, no /root, no /etc/shadow', async () => {
  const data = await run({ program: 'cat', args: [path.join(dataDir, 'secret.txt')] });
  assert.notEqual(data.out?.exit_code, 0);
  assert.ok(!JSON.stringify(data.r).includes('data-dir-secret'));
  for (const p of ['/root', '/etc/shadow', '/home', path.dirname(ws)]) {
    const r = await run({ program: 'ls', args: ['-A', p] });
    assert.ok(r.out?.exit_code !== 0 || r.out.stdout.trim() === '' || r.out.stdout.trim() === 'ws' || r.out.stdout.trim() === 'sandbox', `${p}: ${r.out?.stdout}`);
  }
});

test('/dev holds only the minimal devices, none of the host\'s disks or memory', async () => {
  const { out } = await run({ program: 'ls', args: ['/dev'] });
  const devices = (out?.stdout ?? '').split('\n').filter(Boolean);
  assert.ok(devices.includes('null') && devices.includes('urandom'));
  for (const d of devices) assert.doesNotMatch(d, /^(sd|vd|nvme|xvd|loop|mem$|kmem$|port$|kmsg$|dm-|mapper$|disk$)/, d);
});

test('only the workspace is writable: system directories are read-only, /tmp is private', async () => {
  const usr = await run({ program: 'touch', args: ['/usr/llmctl-escape'] });
  assert.notEqual(usr.out?.exit_code, 0);
  assert.equal(existsSync('/usr/llmctl-escape'), false);
  const tmp = await run({ program: 'touch', args: ['/tmp/llmctl-sandbox-private'] });
  assert.equal(tmp.out?.exit_code, 0);
  assert.equal(existsSync('/tmp/llmctl-sandbox-private'), false, 'the sandbox /tmp is not the host /tmp');
  const inside = await run({ program: 'touch', args: ['made-inside'] });
  assert.equal(inside.out?.exit_code, 0);
  assert.ok(existsSync(path.join(ws, 'made-inside')));
});

test('commands run without capabilities as an unprivileged uid, under resource limits', async () => {
  const { out } = await run({ program: 'cat', args: ['/proc/self/status', '/proc/self/limits'] });
  const text = out?.stdout ?? '';
  assert.match(text, /^CapEff:\s+0+$/m);
  assert.match(text, /^Uid:\s+65534\s/m);
  assert.match(text, /^Max processes\s+256\s+256/m);
  assert.match(text, /^Max file size\s+1073741824\s/m);
  assert.match(text, /^Max cpu time\s+\d+\s/m);
  assert.match(text, /^Max address space\s+\d+\s/m);
});

test('the network is off unless the tool is configured with network access', async () => {
  const server = net.createServer((s) => s.end('connected-to-host'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let accepted = 0;
  server.on('connection', () => (accepted += 1));
  const script = `require('net').connect(${port},'127.0.0.1').on('data',d=>console.log(String(d))).on('error',e=>console.log(e.code))`;
  try {
    const off = await run({ program: 'node', args: ['-e', script] });
    assert.doesNotMatch(off.out?.stdout ?? '', /connected-to-host/);
    assert.match(off.out?.stdout ?? '', /ECONNREFUSED|ENETUNREACH|EACCES/);
    const on = await run({ program: 'node', args: ['-e', script] }, { network: true });
    assert.match(on.out?.stdout ?? '', /connected-to-host/);
    assert.equal(accepted, 1, 'only the networked command reached the host');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a fork flood is bounded by the process limit, and nothing survives the command', async () => {
  const flood = [
    "const { spawn } = require('child_process'); let ok = 0, failed = 0;",
    "for (let i = 0; i < 300; i++) { const c = spawn('sleep', ['987654']); c.on('error', () => {}); if (c.pid) ok++; else failed++; }",
    "const procs = require('fs').readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).length;",
    'console.log(JSON.stringify({ ok, failed, procs })); process.exit(0);',
  ].join('\n');
  const { out } = await run({ program: 'node', args: ['-e', flood] }, { sandbox: { limits: { processes: 64 } } });
  const result = JSON.parse(out?.stdout ?? '{}') as { ok: number; failed: number; procs: number };
  assert.ok(result.failed > 0, `forks were refused: ${out?.stdout} ${out?.stderr}`);
  assert.ok(result.ok < 64 && result.procs <= 66, `at most the limit ran: ${out?.stdout}`);
  const sleepers = (): number =>
    readdirSync('/proc').filter((p) => {
      if (!/^\d+$/.test(p)) return false;
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\u0000987654\u0000' && isAlive(Number(p));
      } catch {
        return false;
      }
    }).length;
  assert.ok(await eventually(() => sleepers() === 0), 'no sleeper of the flood survives its sandbox');
  console.log(`fork flood: ${JSON.stringify(result)}`);
});

test('a file larger than the file size limit cannot be written', async () => {
  const { r } = await run({ program: 'sh', args: ['-c', 'head -c 3000000 /dev/zero > big.bin'] }, { sandbox: { limits: { file_size_bytes: 1024 * 1024 } } });
  assert.equal(r.status, 'success');
  assert.ok(statSync(path.join(ws, 'big.bin')).size <= 1024 * 1024);
});

test('a missing bubblewrap fails closed with sandbox_unavailable; an unknown LLMCTL_TOOL_SANDBOX too', async () => {
  const missing = await run({ program: 'id' }, { sandbox: { bwrap_path: path.join(root.dir, 'no-bwrap') } });
  assert.equal(missing.r.error?.code, 'sandbox_unavailable');
  process.env.LLMCTL_TOOL_SANDBOX = 'off';
  try {
    const bogus = await run({ program: 'id' });
    assert.equal(bogus.r.error?.code, 'sandbox_unavailable');
  } finally {
    delete process.env.LLMCTL_TOOL_SANDBOX;
  }
});

test('LLMCTL_TOOL_SANDBOX=none runs without bubblewrap, still with a scrubbed environment and a private HOME', async () => {
  process.env.LLMCTL_TOOL_SANDBOX = 'none';
  try {
    const { out } = await run({ program: 'env' });
    assert.deepEqual(leaks(out?.stdout ?? ''), []);
    const home = /^HOME=(.*)$/m.exec(out?.stdout ?? '')?.[1] ?? '';
    assert.notEqual(home, process.env.HOME);
    assert.match(home, /llmctl-home-/);
  } finally {
    delete process.env.LLMCTL_TOOL_SANDBOX;
  }
});
