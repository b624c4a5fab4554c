import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const check = join(root, 'deploy/denylist/check.mjs');

/** Copies what the check reads (manifests, lockfile, deploy/, sources) into a temp dir. */
function copyTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmctl-denylist-'));
  const skip = (src: string) => !/[\\/](node_modules|dist|\.git|e2e|screenshots)([\\/]|$)/.test(src.slice(root.length));
  for (const p of ['package.json', 'package-lock.json', 'packages', 'apps/server', 'deploy', 'scripts']) {
    cpSync(join(root, p), join(dir, p), { recursive: true, filter: skip });
  }
  return dir;
}

function runCheck(dir: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [check, '--root', dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('the real tree passes the vendor-CLI denylist check', () => {
  const r = spawnSync(process.execPath, [check], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /denylist: ok/);
});

const plants: { name: string; plant(dir: string): void; expect: RegExp }[] = [
  {
    name: 'a vendor CLI in the production lockfile',
    plant(dir) {
      const file = join(dir, 'package-lock.json');
      const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, unknown> };
      lock.packages['node_modules/@anthropic-ai/claude-code'] = { version: '1.0.0', bin: { claude: 'cli.js' } };
      writeFileSync(file, JSON.stringify(lock));
    },
    expect: /dependency: package-lock\.json: "@anthropic-ai\/claude-code".*production dependency tree[\s\S]*denylisted binary "claude"/,
  },
  {
    name: 'a vendor CLI in a workspace package.json',
    plant(dir) {
      const file = join(dir, 'packages/providers/package.json');
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { dependencies: Record<string, string> };
      pkg.dependencies['@openai/codex'] = '^0.1.0';
      writeFileSync(file, JSON.stringify(pkg));
    },
    expect: /dependency: packages\/providers\/package\.json: "@openai\/codex" in dependencies/,
  },
  {
    name: 'npm install of a vendor CLI in a Dockerfile',
    plant(dir) {
      mkdirSync(join(dir, 'deploy/docker/bad'), { recursive: true });
      writeFileSync(join(dir, 'deploy/docker/bad/Dockerfile'), 'FROM node:20.19-bookworm-slim\nRUN apt-get update && \\\n    npm install -g @google/gemini-cli@0.1.0\n');
    },
    expect: /dockerfile: deploy\/docker\/bad\/Dockerfile:2: installs "@google\/gemini-cli"/,
  },
  {
    name: 'pip install of aider in a Dockerfile',
    plant(dir) {
      mkdirSync(join(dir, 'deploy/docker/bad'), { recursive: true });
      writeFileSync(join(dir, 'deploy/docker/bad/Dockerfile'), 'FROM python:3.12-slim\nRUN pip install --no-cache-dir aider-chat==0.80.0\n');
    },
    expect: /dockerfile: deploy\/docker\/bad\/Dockerfile:2: installs "aider-chat"/,
  },
  {
    name: 'a curl download of a vendor CLI installer in a Dockerfile',
    plant(dir) {
      mkdirSync(join(dir, 'deploy/docker/bad'), { recursive: true });
      writeFileSync(join(dir, 'deploy/docker/bad/Dockerfile'), 'FROM debian:12\nRUN curl -fsSL https://cursor.com/install/cursor-agent | bash\n');
    },
    expect: /dockerfile: deploy\/docker\/bad\/Dockerfile:2: downloads "cursor-agent"/,
  },
  {
    name: 'a spawn of a vendor CLI in the source',
    plant(dir) {
      writeFileSync(join(dir, 'packages/providers/src/planted.ts'),
        "import { spawn } from 'node:child_process';\n\nexport const run = () => spawn('claude', ['-p', 'hi']);\n");
    },
    expect: /source: packages\/providers\/src\/planted\.ts:3: spawn\(\) runs "claude"/,
  },
  {
    name: 'a promisified execFile alias running a vendor CLI through npx',
    plant(dir) {
      writeFileSync(join(dir, 'apps/server/src/planted.ts'),
        "import { execFile } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst sh = promisify(execFile);\nexport const go = () => sh('npx', ['-y', '@openai/codex', 'exec']);\n");
    },
    expect: /source: apps\/server\/src\/planted\.ts:4: sh\(\) runs "@openai\/codex"/,
  },
];

for (const p of plants) {
  test(`the denylist check fails with a clear message on ${p.name}`, () => {
    const dir = copyTree();
    try {
      assert.equal(runCheck(dir).code, 0, 'the untouched copy passes');
      p.plant(dir);
      const r = runCheck(dir);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, p.expect);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('provider SDKs and other spawned tools are not vendor CLIs: @anthropic-ai/sdk, @google/genai and git pass', () => {
  const dir = copyTree();
  try {
    const lock = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    assert.match(lock, /"node_modules\/@anthropic-ai\/sdk"/);
    assert.match(lock, /"node_modules\/@google\/genai"/);
    writeFileSync(join(dir, 'packages/providers/src/planted.ts'),
      "import { execFile } from 'node:child_process';\nexport const v = () => execFile('git', ['--version']);\n");
    const r = runCheck(dir);
    assert.equal(r.code, 0, r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
