#!/usr/bin/env node
// Release pipeline (docs/deploy/release.md): builds and pushes the three llmctl images for a version to a registry
// given by URL + project (Harbor or any OCI registry), skipping tags that already exist, optionally tagging latest,
// creating the Harbor project and signing with cosign; then writes the tags into a Kustomize overlay.
// Usage:
//   node deploy/release/release.mjs --version 0.2.0 --registry https://harbor.example.com --project llmctl
//     [--latest] [--create-project] [--sign [--sign-key KEYREF]] [--overlay deploy/kubernetes/overlays/production]
//     [--revision SHA] [--source URL] [--dry-run]
// Registry credentials: LLMCTL_REGISTRY_USERNAME and LLMCTL_REGISTRY_PASSWORD (used for `docker login
// --password-stdin` and the registry API; never printed).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setOverlayImages } from './overlay.mjs';
import { registryClient } from './registry.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The images, their Dockerfiles and variants (tag suffix + build args). */
export const RELEASE_IMAGES = [
  { name: 'llmctl-server', dockerfile: 'deploy/docker/llmctl-server.Dockerfile', variants: [{ suffix: '', args: {} }] },
  { name: 'llmctl-executor-frontier', dockerfile: 'deploy/docker/llmctl-executor-frontier.Dockerfile', variants: [{ suffix: '', args: {} }] },
  {
    name: 'llmctl-executor-vllm', dockerfile: 'deploy/docker/llmctl-executor-vllm.Dockerfile',
    variants: [{ suffix: '', args: { VARIANT: 'cuda' } }, { suffix: '-cpu', args: { VARIANT: 'cpu' } }],
  },
];

class UsageError extends Error {}

function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: 'string' }, registry: { type: 'string' }, project: { type: 'string' },
      latest: { type: 'boolean' }, 'create-project': { type: 'boolean' }, sign: { type: 'boolean' },
      'sign-key': { type: 'string' }, overlay: { type: 'string' }, revision: { type: 'string' },
      source: { type: 'string' }, 'dry-run': { type: 'boolean' }, context: { type: 'string' },
    },
  });
  if (!values.version || !/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(values.version)) throw new UsageError('--version X.Y.Z is required');
  if (!values.registry || !/^https?:\/\//.test(values.registry)) throw new UsageError('--registry URL (http:// or https://) is required');
  if (!values.project || !/^[a-z0-9][a-z0-9._-]*$/.test(values.project)) throw new UsageError('--project NAME (lower case) is required');
  return values;
}

function gitRevision() {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/** Runs the release; `log` receives every line (commands as `+ …`). Resolves with a summary. */
export async function release(argv, { log = console.log, env = process.env } = {}) {
  const o = options(argv);
  const dry = o['dry-run'] === true;
  const username = env.LLMCTL_REGISTRY_USERNAME;
  const password = env.LLMCTL_REGISTRY_PASSWORD;
  const registry = registryClient(o.registry, { username, password });
  const context = resolve(o.context ?? root);
  const summary = { pushed: [], skipped: [], signed: [], overlay: null };

  const run = (argvCmd, input) => {
    log(`+ ${argvCmd.join(' ')}`);
    if (dry) return;
    const r = spawnSync(argvCmd[0], argvCmd.slice(1), { cwd: context, input, stdio: [input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'], env });
    if (r.error) throw new Error(`${argvCmd[0]} could not be started: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${argvCmd.slice(0, 3).join(' ')} … exited with ${r.status}`);
  };

  if (username && password) run(['docker', 'login', registry.host, '--username', username, '--password-stdin'], `${password}\n`);
  if (o['create-project']) {
    if (dry) log(`# would create Harbor project "${o.project}" at ${o.registry} (POST /api/v2.0/projects) unless it exists`);
    else if (await registry.projectExists(o.project)) log(`= Harbor project "${o.project}" exists`);
    else { await registry.createProject(o.project); log(`* created Harbor project "${o.project}"`); }
  }

  const revision = o.revision ?? gitRevision();
  const source = o.source ?? 'https://github.com/llmctl/llmctl-studio';
  for (const image of RELEASE_IMAGES) {
    const repo = `${registry.host}/${o.project}/${image.name}`;
    for (const v of image.variants) {
      const tag = `${o.version}${v.suffix}`;
      const ref = `${repo}:${tag}`;
      const exists = dry ? false : await registry.tagExists(`${o.project}/${image.name}`, tag);
      if (exists) {
        log(`= ${ref} exists, skipped`);
        summary.skipped.push(ref);
        if (o.latest) run(['docker', 'pull', ref]);
      } else {
        const buildArgs = Object.entries({ VERSION: o.version, REVISION: revision, SOURCE: source, ...v.args })
          .flatMap(([k, val]) => ['--build-arg', `${k}=${val}`]);
        run(['docker', 'build', '--file', image.dockerfile, '--tag', ref, ...buildArgs, '.']);
        run(['docker', 'push', ref]);
        summary.pushed.push(ref);
        if (o.sign) {
          run(['cosign', 'sign', '--yes', ...(o['sign-key'] ? ['--key', o['sign-key']] : []), ref]);
          summary.signed.push(ref);
        }
      }
      if (o.latest) {
        const latest = `${repo}:latest${v.suffix}`;
        run(['docker', 'tag', ref, latest]);
        run(['docker', 'push', latest]);
        summary.pushed.push(latest);
      }
    }
  }

  if (o.overlay) {
    const images = RELEASE_IMAGES.map((i) => ({ name: i.name, newName: `${registry.host}/${o.project}/${i.name}`, newTag: o.version }));
    if (dry) log(`# would set images in ${o.overlay}/kustomization.yaml: ${images.map((i) => `${i.name}=${i.newName}:${i.newTag}`).join(' ')}`);
    else summary.overlay = setOverlayImages(resolve(o.overlay), images);
    if (!dry) log(`* wrote ${images.length} image tags into ${summary.overlay}`);
  }
  log(`release ${o.version}: ${summary.pushed.length} pushed, ${summary.skipped.length} skipped${o.sign ? `, ${summary.signed.length} signed` : ''}${dry ? ' (dry run: nothing was run)' : ''}`);
  return summary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  release(process.argv.slice(2)).catch((err) => {
    console.error(`release failed: ${err.message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
