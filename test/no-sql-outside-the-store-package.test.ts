import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Issue 18 ("a persistence boundary"): all SQL lives in packages/store. This scans the src/ files of every workspace
// (not tests, not bench, not scripts) for SQL and lists each hit as file:line.
const root = fileURLToPath(new URL('..', import.meta.url));
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };

/** The one place SQL belongs. */
const STORE = 'packages/store/';

/**
 * Files that may still hold SQL, and why. Exactly these; each entry must still match a hit (a paid-off debt is
 * removed from here, so the boundary only ever tightens).
 */
const ALLOWED: { pattern: RegExp; why: string }[] = [
  // A source adapter of the migration: it reads a *legacy* llmctl database, not our store.
  { pattern: /^packages\/migrate\/src\/source-database\.ts$/, why: 'reads the legacy database' },
  // Only `LISTEN <channel>` on the dedicated notification connection of the realtime layer.
  { pattern: /^apps\/server\/src\/realtime\/pg-listener\.ts$/, why: 'LISTEN on a dedicated connection' },
];

/** An import of the query builder (`kysely`, its generated types live in packages/store/src/db): store-only too. */
const KYSELY_RE = /\bfrom\s+['"]kysely(\/[^'"]*)?['"]|\bimport\(\s*['"]kysely['"]/;

/** A line that runs or spells SQL: a `.query(` call, or a statement keyword as SQL writes it. */
const SQL_RE = /\.query(<[^>]*>)?\(|\bSELECT\s|\bINSERT\s+INTO\b|\bUPDATE\s+[a-z_]+\s+SET\b|\bDELETE\s+FROM\b|\bpg_notify\s*\(|\b(UN)?LISTEN\s|\b(CREATE|ALTER|DROP)\s+(TABLE|INDEX)\b|\bTRUNCATE\s/;

/** The 1-based numbers of the lines of `text` with SQL, comment lines (`//`, `/*`, ` *`) skipped. */
function sqlLines(text: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('//') || t.startsWith('/*') || t.startsWith('*')) return;
    if (SQL_RE.test(line) || KYSELY_RE.test(line)) out.push(i + 1);
  });
  return out;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name) && !/\.d\.ts$|\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** `file:line` of every SQL line in the src/ of every workspace but the store and the bench. */
function hits(): string[] {
  const out: string[] = [];
  for (const ws of rootPkg.workspaces) {
    if (ws === 'bench' || `${ws}/` === STORE) continue;
    const src = join(root, ws, 'src');
    try {
      statSync(src);
    } catch {
      continue;
    }
    for (const f of sources(src)) {
      const rel = relative(root, f).split('\\').join('/');
      for (const n of sqlLines(readFileSync(f, 'utf8'))) out.push(`${rel}:${n}`);
    }
  }
  return out.sort();
}

test('the SQL detector finds statements and .query calls, and skips comment lines', () => {
  assert.deepEqual(sqlLines([
    "await pool.query('SELECT 1');",
    "const r = await c.query<{ n: number }>(sql);",
    "const q = `INSERT INTO runs (id) VALUES ($1)`;",
    "'UPDATE idempotency_keys SET status_code = $3'",
    "'DELETE FROM api_tokens'",
    "await client.query(`LISTEN ${ch}`)",
    "// SELECT in a comment",
    " * `INSERT … ON CONFLICT` in TSDoc",
    "const label = 'Select a model';",
    'req.query.page',
  ].join('\n')), [1, 2, 3, 4, 5, 6]);
});

test('no SQL outside packages/store (src of every workspace), except the commented allow-list', () => {
  const all = hits();
  const outside = all.filter((h) => !ALLOWED.some((a) => a.pattern.test(h.slice(0, h.lastIndexOf(':')))));
  assert.deepEqual(outside, [], `SQL outside ${STORE} — move it into a repository there:\n${outside.join('\n')}`);
  const stale = ALLOWED.filter((a) => !all.some((h) => a.pattern.test(h.slice(0, h.lastIndexOf(':')))));
  assert.deepEqual(stale.map((a) => `${String(a.pattern)} (${a.why})`), [], 'allow-list entries without SQL left: remove them');
});
