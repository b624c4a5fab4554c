#!/usr/bin/env node
// Checks the production dependency tree against the npm advisory database (`npm audit --omit=dev --json`) and
// fails on any advisory that is not on the allow-list (scripts/npm-audit-allowlist.json: advisory id, package,
// reason, expiry date). See docs/reliability.md "Dependency audit".
//
// Usage: node scripts/npm-audit.mjs [--report saved-audit.json] [--allowlist file.json]
// Exit codes: 0 clean (or every finding allowed), 1 findings not allowed (or expired entries), 2 bad allow-list,
// 3 the audit could not run (registry or audit endpoint unreachable or answering an error) — never a silent pass.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_ALLOWLIST = fileURLToPath(new URL('./npm-audit-allowlist.json', import.meta.url));

/** Exit codes. */
export const EXIT = { clean: 0, findings: 1, badAllowlist: 2, unavailable: 3 };

/** The stable id of an advisory: its GHSA id when the URL carries one, else npm's numeric source id. */
function advisoryId(via) {
  const m = /GHSA-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}/i.exec(String(via.url ?? ''));
  return m ? m[0] : String(via.source);
}

/**
 * The advisories of an `npm audit --json` report (auditReportVersion 2), one per advisory id, or `{ error }` when the
 * report is an npm error (the audit endpoint failed) or has no `vulnerabilities`.
 */
export function advisoriesOf(report) {
  if (!report || typeof report !== 'object') return { error: 'npm audit printed no JSON report' };
  if (report.error || (report.statusCode && !report.vulnerabilities) || (report.message && !report.vulnerabilities)) {
    const e = report.error ?? {};
    return { error: [report.message, e.summary, e.detail, e.code].filter(Boolean).join(' — ') || 'npm audit failed' };
  }
  if (!report.vulnerabilities || typeof report.vulnerabilities !== 'object') return { error: 'the report has no "vulnerabilities" (not an auditReportVersion 2 report)' };
  const byId = new Map();
  for (const v of Object.values(report.vulnerabilities)) {
    for (const via of v.via ?? []) {
      if (typeof via !== 'object' || via === null) continue; // a string names another vulnerable package in the chain
      const id = advisoryId(via);
      const seen = byId.get(id) ?? { id, package: via.name, severity: via.severity, title: via.title, url: via.url, range: via.range, paths: new Set() };
      seen.paths.add(v.name);
      byId.set(id, seen);
    }
  }
  return { advisories: [...byId.values()].map((a) => ({ ...a, paths: [...a.paths].sort() })).sort((a, b) => a.id.localeCompare(b.id)) };
}

/** Validates the allow-list document; returns its entries or throws naming the problem. */
export function parseAllowlist(doc) {
  const entries = doc?.advisories;
  if (!Array.isArray(entries)) throw new Error('the allow-list must be { "advisories": [ … ] }');
  for (const [i, e] of entries.entries()) {
    for (const k of ['id', 'package', 'reason', 'expires']) {
      if (typeof e?.[k] !== 'string' || e[k].trim() === '') throw new Error(`advisories[${i}].${k} must be a non-empty string`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.expires) || Number.isNaN(Date.parse(e.expires))) throw new Error(`advisories[${i}].expires must be a date YYYY-MM-DD`);
  }
  return entries;
}

/**
 * Compares findings with the allow-list on `today` (YYYY-MM-DD): `blocked` are findings without a live entry (none,
 * or one expired before today), `allowed` those with one, `stale` entries that match no finding (remove them).
 */
export function compare(advisories, allowlist, today) {
  const entry = new Map(allowlist.map((e) => [e.id.toUpperCase(), e]));
  const blocked = [];
  const allowed = [];
  for (const a of advisories) {
    const e = entry.get(a.id.toUpperCase());
    if (!e) blocked.push({ ...a, why: 'not on the allow-list' });
    else if (e.expires < today) blocked.push({ ...a, why: `allow-list entry expired on ${e.expires}` });
    else allowed.push({ ...a, reason: e.reason, expires: e.expires });
  }
  const found = new Set(advisories.map((a) => a.id.toUpperCase()));
  const stale = allowlist.filter((e) => !found.has(e.id.toUpperCase()));
  return { blocked, allowed, stale };
}

function runNpmAudit() {
  const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { error: `could not run npm: ${r.error.message}` };
  try {
    return { report: JSON.parse(r.stdout) };
  } catch {
    return { error: `npm audit printed no JSON (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` };
  }
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const allowPath = arg('--allowlist') ?? DEFAULT_ALLOWLIST;
  let allowlist;
  try {
    allowlist = parseAllowlist(JSON.parse(readFileSync(allowPath, 'utf8')));
  } catch (e) {
    console.error(`npm-audit: the allow-list ${allowPath} is invalid: ${e.message}`);
    return EXIT.badAllowlist;
  }
  const saved = arg('--report');
  const got = saved ? { report: JSON.parse(readFileSync(saved, 'utf8')) } : runNpmAudit();
  const parsed = got.error ? got : advisoriesOf(got.report);
  if (parsed.error) {
    console.error(`npm-audit: UNAVAILABLE — the dependency audit could not run, so nothing was checked: ${parsed.error}`);
    console.error('npm-audit: the npm registry\'s audit endpoint (POST /-/npm/v1/security/advisories/bulk) must be reachable; retry later.');
    return EXIT.unavailable;
  }
  const { blocked, allowed, stale } = compare(parsed.advisories, allowlist, new Date().toISOString().slice(0, 10));
  for (const a of allowed) console.log(`npm-audit: allowed ${a.id} ${a.package} (${a.severity}) until ${a.expires}: ${a.reason}`);
  for (const e of stale) console.log(`npm-audit: stale allow-list entry ${e.id} (${e.package}) matches no finding; remove it`);
  for (const a of blocked) console.error(`npm-audit: BLOCKED ${a.id} ${a.package} ${a.range ?? ''} (${a.severity}) — ${a.title} — ${a.url ?? ''} — ${a.why}; via ${a.paths.join(', ')}`);
  console.log(`npm-audit: ${parsed.advisories.length} advisories in production dependencies, ${allowed.length} allowed, ${blocked.length} blocked`);
  return blocked.length > 0 ? EXIT.findings : EXIT.clean;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
