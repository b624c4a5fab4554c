/**
 * Defect 5 of issue 13: `read_file` on a FIFO pinned libuv threads (two such calls hung /api/health). File tools open
 * only regular, single-link files of the workspace, without ever blocking on open.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createWorkspaceTools, invokeTool, ToolRegistry } from '../src/index.ts';
import { makeCtx, tempDir } from './helpers.ts';

const root = tempDir();
const ws = path.join(root.dir, 'ws');
const registry = new ToolRegistry(createWorkspaceTools());
let server: net.Server | undefined;

before(async () => {
  mkdirSync(ws);
  for (const name of ['fifo-a', 'fifo-b', 'fifo-c', 'fifo-d']) execFileSync('mkfifo', [path.join(ws, name)]);
  writeFileSync(path.join(ws, 'plain.txt'), 'plain text\n');
  writeFileSync(path.join(root.dir, 'outside.txt'), 'outside secret\n');
  linkSync(path.join(root.dir, 'outside.txt'), path.join(ws, 'hardlink.txt'));
  server = net.createServer();
  await new Promise<void>((resolve) => server?.listen(path.join(ws, 'socket'), resolve));
});
after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  root.cleanup();
});

async function call(name: string, input: unknown) {
  const { ctx } = makeCtx(ws);
  return invokeTool(registry, name, input, ctx());
}

test('read_file on FIFOs answers workspace_file_unsupported while other file system work goes on', { timeout: 120_000 }, async () => {
  // Four concurrent FIFO reads would take every thread of the default libuv pool if an open blocked.
  const fifoReads = ['fifo-a', 'fifo-b', 'fifo-c', 'fifo-d'].map((p) => call('read_file', { path: p }));
  const other = readFile(path.join(ws, 'plain.txt'), 'utf8');
  const results = await Promise.all(fifoReads);
  for (const r of results) {
    assert.equal(r.error?.code, 'workspace_file_unsupported');
    assert.equal(r.error?.details.reason, 'fifo');
  }
  assert.equal(await other, 'plain text\n');
  const plain = await call('read_file', { path: 'plain.txt' });
  assert.equal((plain.output as { content: string }).content, 'plain text\n');
});

test('write_file into a FIFO or a socket is refused and never blocks', { timeout: 120_000 }, async () => {
  const fifo = await call('write_file', { path: 'fifo-a', content: 'x' });
  assert.equal(fifo.error?.code, 'workspace_file_unsupported');
  const append = await call('write_file', { path: 'fifo-b', content: 'x', mode: 'append' });
  assert.equal(append.error?.code, 'workspace_file_unsupported');
  const socket = await call('write_file', { path: 'socket', content: 'x' });
  assert.equal(socket.error?.code, 'workspace_file_unsupported');
  assert.equal(socket.error?.details.reason, 'socket');
});

test('a socket, a directory and a hardlinked file are refused by read_file; the hardlink target is untouched', async () => {
  const socket = await call('read_file', { path: 'socket' });
  assert.equal(socket.error?.details.reason, 'socket');
  mkdirSync(path.join(ws, 'dir'), { recursive: true });
  const dir = await call('read_file', { path: 'dir' });
  assert.equal(dir.error?.code, 'workspace_file_unsupported');
  assert.equal(dir.error?.details.reason, 'directory');
  const read = await call('read_file', { path: 'hardlink.txt' });
  assert.equal(read.error?.code, 'workspace_file_unsupported');
  assert.equal(read.error?.details.reason, 'hardlink');
  const write = await call('write_file', { path: 'hardlink.txt', content: 'pwned' });
  assert.equal(write.error?.code, 'workspace_file_unsupported');
  assert.equal(readFileSync(path.join(root.dir, 'outside.txt'), 'utf8'), 'outside secret\n');
});

test('a device node in the workspace is refused', async (t) => {
  try {
    execFileSync('mknod', [path.join(ws, 'null-device'), 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    t.skip('mknod is not permitted here');
    return;
  }
  const r = await call('read_file', { path: 'null-device' });
  assert.equal(r.error?.code, 'workspace_file_unsupported');
  assert.equal(r.error?.details.reason, 'character_device');
  const w = await call('write_file', { path: 'null-device', content: 'x' });
  assert.equal(w.error?.code, 'workspace_file_unsupported');
});

test('search_files skips FIFOs, sockets and hardlinks instead of hanging on them', { timeout: 120_000 }, async () => {
  const r = await call('search_files', { query: 'secret' });
  assert.equal(r.status, 'success');
  assert.deepEqual((r.output as { matches: unknown[] }).matches, []);
  const hit = await call('search_files', { query: 'plain' });
  assert.deepEqual((hit.output as { matches: { path: string }[] }).matches.map((m) => m.path), ['plain.txt']);
});
