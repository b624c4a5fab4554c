// Is the compiled CLI (apps/server/dist/cli.js) older than any source it was built from? Shared by the `llmctl` shim
// and scripts/build.mjs. Plain JavaScript: it runs before anything is compiled.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Source trees (relative to the repository root) that feed the server/CLI bundle. */
export const BUNDLE_INPUTS = ['packages', 'apps/server/src', 'apps/server/package.json', 'package-lock.json'];

/** Newest modification time (ms) among the files under `path` (skips node_modules, dist, test and dot dirs). */
export function newestMtime(path) {
  let st;
  try { st = statSync(path); } catch { return 0; }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist' || name === 'test' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/**
 * Whether `output` exists and is at least as new as every input under `root`.
 * @param {string} root repository root
 * @param {string} output file produced by the build
 * @param {string[]} inputs paths relative to root
 */
export function isFresh(root, output, inputs = BUNDLE_INPUTS) {
  let out;
  try { out = statSync(output).mtimeMs; } catch { return false; }
  return inputs.every((p) => newestMtime(join(root, p)) <= out);
}
