import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Issue 18 ("honest packages", "a persistence boundary"): the workspace packages form a graph without cycles — e.g.
// executors depend on the store for their SQL, so the store must never depend on executors. Read from the
// package.json files (which another test proves list exactly what the code imports).
const root = fileURLToPath(new URL('..', import.meta.url));
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const ws of rootPkg.workspaces) {
    const pkg = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
    g.set(pkg.name, Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@llmctl/')));
  }
  return g;
}

/** A dependency cycle as a path `a → b → … → a`, or null. */
function cycle(g: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const d of g.get(n) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of g.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

test('the workspace packages depend on each other without a cycle', () => {
  assert.equal(cycle(graph())?.join(' → ') ?? null, null);
});

test('the executors reach the database through the store, and the store never depends on the executors or the runtime on tools', () => {
  const g = graph();
  assert.ok(g.get('@llmctl/executors')?.includes('@llmctl/store'));
  assert.ok(!g.get('@llmctl/store')?.includes('@llmctl/executors'));
  assert.ok(!g.get('@llmctl/runtime')?.includes('@llmctl/tools'), 'the runtime reaches tools through its ToolPort');
});
