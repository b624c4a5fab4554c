import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ALLOWLIST, EXIT, advisoriesOf, compare, parseAllowlist } from '../scripts/npm-audit.mjs';

const SCRIPT = fileURLToPath(new URL('../scripts/npm-audit.mjs', import.meta.url));

/** An `npm audit --omit=dev --json` report (auditReportVersion 2) with one direct and one transitive finding. */
const REPORT = {
  auditReportVersion: 2,
  vulnerabilities: {
    'fast-xml': {
      name: 'fast-xml', severity: 'high', isDirect: false, range: '<4.2.4', nodes: ['node_modules/fast-xml'], fixAvailable: true,
      via: [{ source: 1101234, name: 'fast-xml', dependency: 'fast-xml', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-abcd-1234-wxyz', severity: 'high', range: '<4.2.4' }],
      effects: ['sdk'],
    },
    sdk: { name: 'sdk', severity: 'high', isDirect: true, range: '1.0.0 - 1.4.0', via: ['fast-xml'], effects: [], nodes: ['node_modules/sdk'], fixAvailable: true },
    tar: {
      name: 'tar', severity: 'moderate', isDirect: false, range: '<6.2.1', nodes: ['node_modules/tar'], fixAvailable: true,
      via: [{ source: 1097493, name: 'tar', title: 'Denial of service', url: 'https://www.npmjs.com/advisories/1097493', severity: 'moderate', range: '<6.2.1' }],
      effects: [],
    },
  },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 2, critical: 0, total: 3 } },
};
const OUTAGE = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, error: { summary: '', detail: '' } };

test('advisories are read from the report once per advisory id (GHSA id when the URL has one)', () => {
  const r = advisoriesOf(REPORT);
  assert.equal(r.error, undefined);
  assert.deepEqual(r.advisories!.map((a) => [a.id, a.package, a.severity]), [['1097493', 'tar', 'moderate'], ['GHSA-abcd-1234-wxyz', 'fast-xml', 'high']]);
  assert.deepEqual(advisoriesOf({ auditReportVersion: 2, vulnerabilities: {} }), { advisories: [] });
});

test('an audit endpoint error is reported as unavailable, never as a clean result', () => {
  assert.match(advisoriesOf(OUTAGE).error!, /405 Method Not Allowed/);
  assert.ok(advisoriesOf({}).error);
  assert.ok(advisoriesOf(null).error);
});

test('findings pass only with a live allow-list entry; expired and stale entries are reported', () => {
  const { advisories } = advisoriesOf(REPORT);
  const list = parseAllowlist({ advisories: [
    { id: 'ghsa-abcd-1234-wxyz', package: 'fast-xml', reason: 'only parses our own manifests', expires: '2027-01-31' },
    { id: '1097493', package: 'tar', reason: 'not reachable', expires: '2026-11-30' },
    { id: 'GHSA-gone-gone-gone', package: 'old', reason: 'fixed upstream', expires: '2027-06-30' },
  ] });
  const r = compare(advisories!, list, '2026-12-06');
  assert.deepEqual(r.allowed.map((a) => a.id), ['GHSA-abcd-1234-wxyz']);
  assert.deepEqual(r.blocked.map((a) => [a.id, a.why]), [['1097493', 'allow-list entry expired on 2026-11-30']]);
  assert.deepEqual(r.stale.map((e) => e.id), ['GHSA-gone-gone-gone']);
  assert.deepEqual(compare(advisories!, [], '2026-12-06').blocked.map((a) => a.why), ['not on the allow-list', 'not on the allow-list']);
});

test('an allow-list entry needs id, package, reason and an expiry date', () => {
  assert.throws(() => parseAllowlist({}), /advisories/);
  assert.throws(() => parseAllowlist({ advisories: [{ id: 'GHSA-x', package: 'p', reason: '', expires: '2027-01-01' }] }), /reason/);
  assert.throws(() => parseAllowlist({ advisories: [{ id: 'GHSA-x', package: 'p', reason: 'r', expires: 'next year' }] }), /expires/);
  // The committed allow-list is valid.
  assert.ok(Array.isArray(parseAllowlist(JSON.parse(readFileSync(DEFAULT_ALLOWLIST, 'utf8')))));
});

test('the CLI exits 1 on blocked findings, 0 when all are allowed, 3 when the audit could not run, 2 on a bad allow-list', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'npm-audit-'));
  try {
    const write = async (name: string, value: unknown) => {
      const p = join(dir, name);
      await writeFile(p, JSON.stringify(value));
      return p;
    };
    const report = await write('report.json', REPORT);
    const empty = await write('empty.json', { advisories: [] });
    const all = await write('all.json', { advisories: [
      { id: 'GHSA-abcd-1234-wxyz', package: 'fast-xml', reason: 'r', expires: '2999-01-01' }, { id: '1097493', package: 'tar', reason: 'r', expires: '2999-01-01' },
    ] });
    const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
    const blocked = run('--report', report, '--allowlist', empty);
    assert.equal(blocked.status, EXIT.findings, blocked.stderr);
    assert.match(blocked.stderr, /BLOCKED GHSA-abcd-1234-wxyz fast-xml/);
    assert.match(blocked.stderr, /BLOCKED 1097493 tar/);
    const ok = run('--report', report, '--allowlist', all);
    assert.equal(ok.status, EXIT.clean, ok.stderr);
    assert.match(ok.stdout, /2 advisories in production dependencies, 2 allowed, 0 blocked/);
    const outage = run('--report', await write('outage.json', OUTAGE), '--allowlist', empty);
    assert.equal(outage.status, EXIT.unavailable);
    assert.match(outage.stderr, /UNAVAILABLE .*nothing was checked/);
    assert.equal(run('--report', report, '--allowlist', await write('bad.json', { advisories: [{ id: 'x' }] })).status, EXIT.badAllowlist);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
