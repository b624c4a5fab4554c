#!/usr/bin/env node
// Renders every Kustomize tree under deploy/kubernetes (base + overlays/*) with `kubectl kustomize` and validates each
// object against the Kubernetes OpenAPI schemas (kubernetes-models: the model class of its apiVersion/kind and
// `.validate()`), plus llmctl's own rules: every container has resource requests and limits, runs as non-root with a
// read-only root file system, the server has probes on /api/health, no Secret value is in the repository, and
// overlays pin image tags. Exit 1 with one line per problem. Fails (never skips) when kubectl is missing.
// Usage: node deploy/kubernetes/validate.mjs [DIR ...]   (default: base and every overlay)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = fileURLToPath(new URL('.', import.meta.url));

/** `kubectl kustomize DIR` → parsed objects. Throws with kubectl's message. */
export function render(dir) {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`kubectl is required to render ${dir} (${r.error.message}); install kubectl (it bundles Kustomize)`);
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr.trim()}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((o) => o);
}

/** Module of kubernetes-models for an apiVersion: `apps/v1` → `kubernetes-models/apps/v1`, `v1` → `…/v1`. */
async function modelClass(apiVersion, kind) {
  const mod = await import(`kubernetes-models/${apiVersion}`).catch(() => undefined);
  return mod?.[kind];
}

/** Schema and policy problems of one rendered object (`[]` when valid). */
export async function validateObject(obj) {
  const id = `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? '?'}`;
  const problems = [];
  const Model = obj?.apiVersion && obj?.kind ? await modelClass(obj.apiVersion, obj.kind) : undefined;
  if (!Model) return [`${id}: unknown apiVersion/kind ${obj?.apiVersion}/${obj?.kind}`];
  try {
    new Model(obj).validate();
  } catch (err) {
    problems.push(`${id}: schema: ${err.message.split('\n').slice(0, 4).join(' ')}`);
  }
  if (obj.kind === 'Secret' && (obj.data || obj.stringData)) problems.push(`${id}: a Secret value is committed; reference a Secret created out of band`);
  const pod = obj.kind === 'Job' || obj.kind === 'Deployment' ? obj.spec?.template?.spec : undefined;
  if (pod) {
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${id}: pod securityContext.runAsNonRoot must be true`);
    for (const c of pod.containers ?? []) {
      const cid = `${id} container ${c.name}`;
      if (!c.resources?.requests || !c.resources?.limits) problems.push(`${cid}: resources.requests and resources.limits are required`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${cid}: securityContext.readOnlyRootFilesystem must be true`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${cid}: securityContext.allowPrivilegeEscalation must be false`);
      for (const e of c.env ?? []) {
        if (/URL|KEY|TOKEN|SECRET|PASSWORD/i.test(e.name) && e.value !== undefined) problems.push(`${cid}: ${e.name} has a literal value; use valueFrom.secretKeyRef`);
      }
    }
    if (obj.metadata?.name === 'llmctl-server') {
      const c = pod.containers?.[0];
      for (const p of ['readinessProbe', 'livenessProbe']) {
        if (c?.[p]?.httpGet?.path !== '/api/health') problems.push(`${id}: ${p} must be an httpGet on /api/health`);
      }
    }
  }
  return problems;
}

/** Renders and validates one kustomization dir; returns problems prefixed with the dir. */
export async function validateDir(dir, { requireTags = false } = {}) {
  const label = relative(process.cwd(), dir) || dir;
  let objects;
  try { objects = render(dir); } catch (err) { return [`${label}: ${err.message}`]; }
  if (objects.length === 0) return [`${label}: renders no objects`];
  const problems = [];
  for (const obj of objects) {
    for (const p of await validateObject(obj)) problems.push(`${label}: ${p}`);
    const pod = obj.spec?.template?.spec;
    for (const c of pod?.containers ?? []) {
      if (requireTags && !/:[\w][\w.-]*$|@sha256:[0-9a-f]{64}$/.test(c.image ?? '')) problems.push(`${label}: ${obj.kind}/${obj.metadata.name}: image "${c.image}" has no tag`);
      if (/:latest$/.test(c.image ?? '')) problems.push(`${label}: ${obj.kind}/${obj.metadata.name}: image "${c.image}" uses :latest`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const overlays = join(here, 'overlays');
  const dirs = process.argv.length > 2 ? process.argv.slice(2)
    : [join(here, 'base'), ...(existsSync(overlays) ? readdirSync(overlays).map((d) => join(overlays, d)) : [])];
  let failed = 0;
  for (const dir of dirs) {
    const problems = await validateDir(dir, { requireTags: true });
    for (const p of problems) console.error(`manifests: ${p}`);
    console.log(`manifests: ${relative(process.cwd(), dir) || dir}: ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`);
    failed += problems.length;
  }
  process.exit(failed === 0 ? 0 : 1);
}
