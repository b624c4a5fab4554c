/**
 * `npm run bench` — runs every benchmark and writes the report.
 *   full (default): bench/report.md + bench/charts/*.svg (committed), bench/results/ (raw JSON, charts, profiles)
 *   --quick:        small sizes for CI, writes bench/results/report-quick.md only
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { runBench, type BenchReport } from './harness.ts';
import { summarizeProfile } from './profile.ts';
import { parseArgs, USAGE, type BenchOptions } from './options.ts';
import { evaluateAims, type AimResult } from './report/aims.ts';
import { buildCharts, type Chart } from './report/charts.ts';
import { renderMarkdown } from './report/markdown.ts';
import { EXECUTORS_BEGIN, EXECUTORS_END, executorsOptionsFromEnv, measureExecutors } from './executors-bench.ts';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Files a finished run wrote. */
export interface WrittenReport {
  report: BenchReport;
  aims: AimResult[];
  charts: Chart[];
  markdownFile: string;
  files: string[];
}

/**
 * Runs the benchmark and writes its artefacts. `resultsDir` always gets report.json and the charts; the committed
 * report (`reportFile`, charts in `chartsDir`) is written in full mode only, unless given explicitly.
 */
export async function benchAndWrite(options: BenchOptions, o: { resultsDir: string; reportFile?: string; chartsDir?: string; log?: (m: string) => void }): Promise<WrittenReport> {
  const log = o.log ?? ((m: string) => console.log(m));
  await mkdir(o.resultsDir, { recursive: true });
  const report = await runBench(options, { resultsDir: o.resultsDir, log });
  // The committed report (full mode) also gets the executors section: inline vs 1, 2, 4 queue workers, side by side.
  let executors: string | undefined;
  if (o.reportFile) {
    log('executors: inline vs queue workers…');
    executors = await measureExecutors(executorsOptionsFromEnv()).catch((err: unknown) => {
      report.errors.push(`executors bench: ${(err as Error).stack ?? String(err)}`);
      return undefined;
    });
  }
  return writeReport(report, options, { ...o, ...(executors ? { executorsSection: executors } : {}) });
}

/**
 * The report file's text: the freshly rendered `markdown`, then the separately measured sections of the `previous`
 * file (serve footprint; executors unless `executors` replaces it). Text outside the markers is not kept.
 */
export function composeReport(markdown: string, previous: string, executors?: string): string {
  const kept = [
    markedSection(previous, '<!-- serve-footprint:begin -->', '<!-- serve-footprint:end -->'),
    executors ?? markedSection(previous, EXECUTORS_BEGIN, EXECUTORS_END),
  ].filter((x): x is string => !!x);
  return kept.length ? `${markdown.trimEnd()}\n\n${kept.join('\n\n')}\n` : markdown;
}

/** The text from `begin` to `end` (markers included) in `text`, if there. */
function markedSection(text: string, begin: string, end: string): string | undefined {
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  return i >= 0 && j > i ? text.slice(i, j + end.length) : undefined;
}

/** Writes a report's artefacts (also used by `--render` to re-render a saved report.json). */
export async function writeReport(report: BenchReport, options: BenchOptions, o: { resultsDir: string; reportFile?: string; chartsDir?: string; executorsSection?: string }): Promise<WrittenReport> {
  await mkdir(o.resultsDir, { recursive: true });
  const aims = evaluateAims(report);
  const charts = buildCharts(report);
  const files: string[] = [];
  const write = async (file: string, text: string): Promise<void> => {
    await writeFile(file, text);
    files.push(file);
  };
  await write(join(o.resultsDir, 'report.json'), JSON.stringify({ ...report, aims }, null, 1));
  for (const c of charts) await write(join(o.resultsDir, c.file), c.svg);
  const reportFile = o.reportFile ?? join(o.resultsDir, `report-${options.mode}.md`);
  const chartsDir = o.chartsDir ?? o.resultsDir;
  if (chartsDir !== o.resultsDir) {
    await mkdir(chartsDir, { recursive: true });
    for (const c of charts) await write(join(chartsDir, c.file), c.svg);
  }
  const rel = relative(resolve(reportFile, '..'), chartsDir) || '.';
  // Keep the sections measured separately: serve footprint (bench/src/serve-footprint.ts, after a build) and the
  // executors (bench/src/executors-bench.ts; replaced when this run measured it).
  const previous = await readFile(reportFile, 'utf8').catch(() => '');
  await write(reportFile, composeReport(renderMarkdown(report, aims, charts, rel), previous, o.executorsSection));
  return { report, aims, charts, markdownFile: reportFile, files };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const resultsDir = resolve(parsed.out ?? join(BENCH_DIR, 'results'));
  let written: WrittenReport;
  if (parsed.render) {
    // Re-render a saved run (report.json) with the current report code; profiles are re-read from their files.
    const saved = JSON.parse(await readFile(parsed.render, 'utf8')) as BenchReport;
    for (const p of saved.profiles) p.summary = summarizeProfile(p.file, 60);
    if (saved.serverLoad?.profile) saved.serverLoad.profile.summary = summarizeProfile(saved.serverLoad.profile.file, 60);
    const full = saved.mode === 'full' && parsed.out === undefined;
    written = await writeReport(saved, saved.options, {
      resultsDir, ...(full ? { reportFile: join(BENCH_DIR, 'report.md'), chartsDir: join(BENCH_DIR, 'charts') } : {}),
    });
  } else {
    const full = parsed.options.mode === 'full' && parsed.out === undefined;
    written = await benchAndWrite(parsed.options, {
      resultsDir,
      ...(full ? { reportFile: join(BENCH_DIR, 'report.md'), chartsDir: join(BENCH_DIR, 'charts') } : {}),
    });
  }
  console.log(`\nreport: ${relative(process.cwd(), written.markdownFile)} (${(written.report.durationMs / 60000).toFixed(1)} min)`);
  for (const a of written.aims) console.log(`  ${a.met === null ? 'n/a   ' : a.met ? 'met   ' : 'MISSED'} ${a.aim}${a.met === false ? ` — ${a.gap}` : ''}`);
  if (written.report.errors.length > 0) {
    console.error(`\n${written.report.errors.length} error(s):\n${written.report.errors.map((e) => `  ${e.split('\n')[0]}`).join('\n')}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
