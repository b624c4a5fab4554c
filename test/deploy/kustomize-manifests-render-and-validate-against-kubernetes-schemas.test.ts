import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const validator = join(root, 'deploy/kubernetes/validate.mjs');

interface K8sObject { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> }

function validate(dirs: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [validator, ...dirs], { encoding: 'utf8', env, cwd: root });
  return { code: r.status, out: r.stdout + r.stderr };
}

function render(dir: string): K8sObject[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(/^---$/m).map((d) => d.trim()).filter(Boolean).map((d) => {
    const kind = /^kind: (\S+)$/m.exec(d)?.[1] ?? '';
    const name = /^ {2}name: (\S+)$/m.exec(d)?.[1] ?? '';
    const namespace = /^ {2}namespace: (\S+)$/m.exec(d)?.[1];
    return { kind, metadata: { name, namespace }, spec: {} } satisfies K8sObject;
  });
}

function copyKubernetes(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmctl-k8s-'));
  cpSync(join(root, 'deploy/kubernetes'), dir, { recursive: true });
  return dir;
}

test('base, dev and production render with kubectl kustomize and every object validates against the Kubernetes schemas', () => {
  const r = validate([]);
  assert.equal(r.code, 0, r.out);
  for (const d of ['base', 'overlays/dev', 'overlays/production']) assert.match(r.out, new RegExp(`deploy/kubernetes/${d}: ok`));
});

test('the base holds the server and worker Deployments, Service, executor RBAC, PDB, NetworkPolicy and the migration Job', () => {
  const kinds = render(join(root, 'deploy/kubernetes/base')).map((o) => `${o.kind}/${o.metadata.name}`).sort();
  for (const want of ['Deployment/llmctl-server', 'Deployment/llmctl-worker', 'Service/llmctl-server', 'ServiceAccount/llmctl-executor',
    'ServiceAccount/llmctl-orchestrator', 'Role/llmctl-executor-dispatch', 'RoleBinding/llmctl-executor-dispatch',
    'PodDisruptionBudget/llmctl-server', 'NetworkPolicy/llmctl-server-ingress', 'Job/llmctl-db-migrate']) {
    assert.ok(kinds.includes(want), `${want} missing from ${kinds.join(', ')}`);
  }
  const role = readFileSync(join(root, 'deploy/kubernetes/base/rbac.yaml'), 'utf8');
  for (const r of ['jobs', 'pods', 'pods/log', 'secrets']) assert.match(role, new RegExp(`resources: \\["${r}"\\]`));
  const server = readFileSync(join(root, 'deploy/kubernetes/base/server-deployment.yaml'), 'utf8');
  assert.match(server, /secretKeyRef:\s+name: llmctl-database\s+key: url/);
  const worker = readFileSync(join(root, 'deploy/kubernetes/base/worker-deployment.yaml'), 'utf8');
  assert.match(worker, /args: \["worker"/);
  assert.match(readFileSync(join(root, 'deploy/kubernetes/base/migrate-job.yaml'), 'utf8'), /args: \["db", "migrate"\]/);
});

test('overlays set the namespace and the image names and tags', () => {
  const prod = spawnSync('kubectl', ['kustomize', join(root, 'deploy/kubernetes/overlays/production')], { encoding: 'utf8' }).stdout;
  assert.match(prod, /namespace: llmctl\n/);
  assert.match(prod, /image: \S+\/llmctl-server:\S+/);
  assert.match(prod, /image: \S+\/llmctl-executor-frontier:\S+/);
  const dev = spawnSync('kubectl', ['kustomize', join(root, 'deploy/kubernetes/overlays/dev')], { encoding: 'utf8' }).stdout;
  assert.match(dev, /namespace: llmctl-dev\n/);
  assert.doesNotMatch(dev + prod, /image: llmctl-server\n/);
});

const broken: { name: string; file: string; edit(text: string): string; expect: RegExp }[] = [
  {
    name: 'a field of the wrong type (schema)',
    file: 'base/server-service.yaml',
    edit: (t) => t.replace('port: 80', 'port: eighty'),
    expect: /base: Service\/llmctl-server: schema: .*port/,
  },
  {
    name: 'an unknown resource file (kustomize)',
    file: 'base/kustomization.yaml',
    edit: (t) => t.replace('  - pdb.yaml', '  - pdb.yaml\n  - missing.yaml'),
    expect: /kubectl kustomize .* failed: .*missing\.yaml/,
  },
  {
    name: 'a container without a read-only root file system',
    file: 'base/worker-deployment.yaml',
    edit: (t) => t.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'),
    expect: /Deployment\/llmctl-worker container worker: securityContext\.readOnlyRootFilesystem must be true/,
  },
  {
    name: 'a committed Secret value',
    file: 'base/configmap.yaml',
    edit: (t) => `${t}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: llmctl-database\nstringData:\n  url: postgres://u:p@db/llmctl\n`,
    expect: /Secret\/llmctl-database: a Secret value is committed/,
  },
];

for (const b of broken) {
  test(`a broken manifest fails validation: ${b.name}`, () => {
    const dir = copyKubernetes();
    try {
      const file = join(dir, b.file);
      writeFileSync(file, b.edit(readFileSync(file, 'utf8')));
      const r = validate([join(dir, 'base'), join(dir, 'overlays/production')]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, b.expect);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('an overlay image without a tag fails validation', () => {
  const dir = copyKubernetes();
  try {
    const file = join(dir, 'overlays/dev/kustomization.yaml');
    const base = join(dir, 'base/kustomization.yaml');
    writeFileSync(base, readFileSync(base, 'utf8').replace(/\n {4}newTag: 0\.1\.0/g, ''));
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n {4}newTag: \S+/g, ''));
    const r = validate([join(dir, 'overlays/dev')]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /image "localhost:5000\/llmctl\/llmctl-server" has no tag/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without kubectl the validation fails with a clear message instead of skipping', () => {
  const emptyBin = mkdtempSync(join(tmpdir(), 'llmctl-nobin-'));
  try {
    const r = validate([join(root, 'deploy/kubernetes/base')], { PATH: emptyBin });
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /kubectl is required to render/);
  } finally {
    rmSync(emptyBin, { recursive: true, force: true });
  }
});
