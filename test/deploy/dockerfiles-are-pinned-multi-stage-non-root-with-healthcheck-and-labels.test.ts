import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../deploy/docker/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort();

/** Instructions of a Dockerfile with continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text.replace(/\\\r?\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => { const m = /^(\S+)\s+(.*)$/.exec(l)!; return { op: m[1]!.toUpperCase(), args: m[2]! }; });
}

/** The image references of every FROM, with global ARG defaults substituted; stage aliases resolved to `stage:`. */
function fromImages(text: string): string[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const out: string[] = [];
  let seenFrom = false;
  for (const { op, args: rest } of instructions(text)) {
    if (op === 'ARG' && !seenFrom) {
      const m = /^(\w+)=(\S+)$/.exec(rest);
      if (m) args.set(m[1]!, m[2]!);
    }
    if (op === 'FROM') {
      seenFrom = true;
      const [ref, as, alias] = rest.split(/\s+/);
      const image = ref!.replace(/\$\{(\w+)\}/g, (_, n: string) => args.get(n) ?? `\${${n}}`);
      out.push(stages.has(image) || /^vllm-\$\{VARIANT\}$/.test(ref!) ? `stage:${image}` : image);
      if (as?.toUpperCase() === 'AS' && alias) stages.add(alias);
    }
  }
  return out;
}

test('there are the three image Dockerfiles', () => {
  assert.deepEqual(files, ['llmctl-executor-frontier.Dockerfile', 'llmctl-executor-vllm.Dockerfile', 'llmctl-server.Dockerfile']);
});

for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  const ins = instructions(text);

  test(`${file}: every base image is pinned to a version tag (never latest) and the build is multi-stage`, () => {
    const images = fromImages(text);
    assert.ok(images.length >= 3, `multi-stage: ${images.join(', ')}`);
    for (const image of images.filter((i) => !i.startsWith('stage:'))) {
      assert.doesNotMatch(image, /\$\{/, `${image}: unresolved build arg without a default`);
      assert.match(image, /:[^:/@]*\d[^:/@]*(@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$/, `${image} is not pinned to a version`);
      assert.doesNotMatch(image, /:latest\b/);
    }
    assert.doesNotMatch(text, /:latest\b/);
  });

  test(`${file}: installs production dependencies with npm ci --omit=dev from the lockfile and assembles with the shared script`, () => {
    assert.ok(ins.some((i) => i.op === 'RUN' && /\bnpm ci --omit=dev\b/.test(i.args)));
    assert.ok(ins.some((i) => i.op === 'RUN' && /node deploy\/docker\/assemble\.mjs \S+ \/out/.test(i.args)));
    assert.ok(!ins.some((i) => i.op === 'RUN' && /\bnpm (install|i)\b/.test(i.args)), 'no npm install (not reproducible)');
  });

  test(`${file}: runs as a non-root user with a HEALTHCHECK, OCI labels and compiled JavaScript`, () => {
    const users = ins.filter((i) => i.op === 'USER');
    assert.ok(users.length > 0, 'USER set');
    const user = users.at(-1)!.args;
    assert.doesNotMatch(user, /^(root|0)(:|$)/, `final USER ${user}`);
    assert.ok(ins.some((i) => i.op === 'HEALTHCHECK' && /\bCMD\b/.test(i.args)));
    const labels = ins.filter((i) => i.op === 'LABEL').map((i) => i.args).join(' ');
    for (const l of ['version', 'revision', 'source']) assert.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${l}="\\$\\{`));
    const entry = ins.find((i) => i.op === 'ENTRYPOINT')?.args ?? '';
    assert.match(entry, /apps\/server\/bin\/llmctl\.mjs/);
    assert.doesNotMatch(text, /\btsx\b/);
    assert.ok(ins.some((i) => i.op === 'VOLUME' && /\/tmp/.test(i.args)), 'writable /tmp as a volume (read-only root)');
  });
}

test('the vllm Dockerfile has a CUDA and a -cpu variant chosen by a build arg', () => {
  const text = readFileSync(join(dir, 'llmctl-executor-vllm.Dockerfile'), 'utf8');
  assert.match(text, /ARG VARIANT=cuda/);
  assert.match(text, /AS vllm-cuda/);
  assert.match(text, /AS vllm-cpu/);
  assert.match(text, /FROM vllm-\$\{VARIANT\}/);
});

test('the executor images run the executor entrypoint by default and the server image serves', () => {
  for (const f of ['llmctl-executor-frontier.Dockerfile', 'llmctl-executor-vllm.Dockerfile']) {
    assert.match(readFileSync(join(dir, f), 'utf8'), /CMD \["executor", "run", "--payload-file", "\/var\/run\/llmctl\/payload\.json"\]/);
  }
  assert.match(readFileSync(join(dir, 'llmctl-server.Dockerfile'), 'utf8'), /CMD \["serve"\]/);
});
