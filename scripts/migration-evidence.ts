/**
 * Prints the cutover test-evidence record (docs/migration/cutover.md) as Markdown on stdout:
 *   node --import tsx scripts/migration-evidence.ts [--suite-log FILE] [--server URL] > docs/migration/test-evidence.md
 * - suite summary: the "N passed, N failed" line of FILE (a log of `node scripts/run-tests.mjs`); without it, the
 *   migration tests are run now (`node scripts/run-tests.mjs migrat cutover`) and their line is used;
 * - reliability and bench figures: the aims table of bench/report.md (and bench/reliability.md when present);
 * - rehearsal results: GET <server>/api/migrations/cutover (LLMCTL_SERVER_URL / --server; LLMCTL_TOKEN if set).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url);
const { values } = parseArgs({ options: { 'suite-log': { type: 'string' }, server: { type: 'string' } } });

function suiteLine(): { line: string; source: string } {
  let text: string;
  let source: string;
  if (values['suite-log']) {
    text = readFileSync(values['suite-log'], 'utf8');
    source = values['suite-log'];
  } else {
    source = 'node scripts/run-tests.mjs migrat cutover (run by this command)';
    try {
      text = execFileSync(process.execPath, ['scripts/run-tests.mjs', 'migrat', 'cutover'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    } catch (e) {
      text = String((e as { stdout?: string }).stdout ?? '');
    }
  }
  const line = text.split('\n').reverse().find((l) => /\d+ passed, \d+ failed/.test(l)) ?? '(no "N passed, N failed" line found)';
  return { line: line.trim(), source };
}

function benchRows(): string[] {
  const out: string[] = [];
  for (const f of ['bench/report.md', 'bench/reliability.md']) {
    const p = new URL(f, root);
    if (!existsSync(p)) { out.push(`- ${f}: not present in this tree`); continue; }
    const lines = readFileSync(p, 'utf8').split('\n');
    const run = lines.find((l) => l.startsWith('| Run |'));
    out.push(`- ${f}${run ? ` (${run.replace(/\|/g, ' ').trim()})` : ''}:`);
    for (const l of lines.filter((x) => /^\| issue \d+/.test(x))) {
      const cells = l.split('|').map((c) => c.trim());
      out.push(`  - ${cells[1]}: ${cells[2]} — **${cells[3]?.replace(/\*/g, '')}** (${cells[4]})`);
    }
  }
  return out;
}

async function rehearsal(): Promise<string[]> {
  const url = (values.server ?? process.env.LLMCTL_SERVER_URL ?? `http://127.0.0.1:${process.env.LLMCTL_PORT ?? '8080'}`).replace(/\/$/, '');
  try {
    const res = await fetch(`${url}/api/migrations/cutover`, { headers: process.env.LLMCTL_TOKEN ? { authorization: `Bearer ${process.env.LLMCTL_TOKEN}` } : {}, signal: AbortSignal.timeout(10_000) });
    const body = await res.json() as { ok: boolean; data?: { enabled: boolean; imported: number; ready: number; blocked: number; rehearsed: number; flowcharts: { flowchart_id: string; legacy_id: number; name: string; latest_status: string | null; rehearsal: { status: string; run_id: string | null; rehearsed_at: string } | null }[] } };
    if (!body.ok || !body.data) return [`- ${url}: answered ${res.status} without a checklist`];
    const d = body.data;
    return [
      `Checklist of ${url}: switch ${d.enabled ? 'on' : 'off'}; ${d.imported} imported, ${d.ready} ready, ${d.blocked} blocked, ${d.rehearsed} rehearsed.`, '',
      '| legacy id | flowchart | latest report | rehearsal | run | at |', '|---|---|---|---|---|---|',
      ...d.flowcharts.map((f) => `| ${f.legacy_id} | ${f.name} (${f.flowchart_id}) | ${f.latest_status ?? '-'} | ${f.rehearsal?.status ?? 'not rehearsed'} | ${f.rehearsal?.run_id ?? '-'} | ${f.rehearsal?.rehearsed_at ?? '-'} |`),
    ];
  } catch (e) {
    return [`- no server answered at ${url} (${(e as Error).message}): rehearsal results not recorded`];
  }
}

async function main(): Promise<void> {
  const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })();
  const suite = suiteLine();
  const lines = [
    '# Cutover test-evidence record', '',
    `Generated ${new Date().toISOString()} at commit ${commit} by \`node --import tsx scripts/migration-evidence.ts\`.`, '',
    '## Test suite', '', `\`${suite.line}\` — from ${suite.source}`, '',
    '## Reliability and benchmark figures', '', ...benchRows(), '',
    '## Rehearsal results', '', ...(await rehearsal()), '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
