/**
 * CPU per node and commits per run of durable 1→N→1 fan-outs (issue 17, "Fan-out CPU per node"). Not a test: it
 * prints one JSON line per width (and variant), and with `--profile DIR` writes one `.cpuprofile` per width (the
 * measured repetitions only) plus its summary.
 *
 *   node --import tsx bench/src/fanout-cpu.ts [--widths 100,1000] [--reps 5] [--variant pass|task|both]
 *     [--database-url URL] [--profile DIR] [--snapshot-every N] [--ab-turn]
 *
 * Figures that a loaded machine distorts little: the CPU time of the process per node (`process.cpuUsage`: engine,
 * runtime, store encoding, `pg`, the driver; not PostgreSQL) and the commits per run (the group committer's counter).
 * Outcomes per commit = node runs that finished ÷ commits. Wall time is printed too (noisy under load).
 *
 * `--ab-turn`: an A/B in this one process — repetitions alternate between the run actor letting the event loop's
 * turn end before a flush while node runs still work (`RunActor.shareOneTurn`, the default) and flushing at once (the
 * behaviour before); one line per setting.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { RunActor } from '@llmctl/runtime';
import { openCluster } from './cluster.ts';
import { LlmctlDriver } from './llmctl-driver.ts';
import { llmctlDocument } from './llmctl-graphs.ts';
import { summarizeProfile } from './profile.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({
  options: { widths: { type: 'string' }, reps: { type: 'string' }, 'database-url': { type: 'string' }, variant: { type: 'string' }, profile: { type: 'string' },
    'snapshot-every': { type: 'string' }, 'ab-turn': { type: 'boolean' } },
});
const WIDTHS = (values.widths ?? '100,1000').split(',').map(Number);
const REPS = Number(values.reps ?? 5);
const VARIANTS: ('pass' | 'task')[] = values.variant === 'both' ? ['pass', 'task'] : values.variant === 'task' ? ['task'] : ['pass'];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const cluster = await openCluster({ adminUrl: values['database-url'] });
const session = values.profile ? new Session() : null;
try {
  const scratch = await cluster.database('fanoutcpu');
  const driver = await LlmctlDriver.open(scratch.url, values['snapshot-every'] !== undefined ? { snapshotEvery: Number(values['snapshot-every']) } : {});
  if (session) {
    session.connect();
    await mkdir(values.profile!, { recursive: true });
  }
  try {
    for (const variant of VARIANTS) {
      for (const width of WIDTHS) {
        const nodes = width + 3;
        const fc = await driver.save(llmctlDocument({ kind: 'fanout', width }, variant));
        await driver.runOk(fc); // warm-up
        await driver.runOk(fc);
        const settings = values['ab-turn'] ? [true, false] : [RunActor.shareOneTurn];
        const wall = settings.map((): number[] => []);
        const cpu = settings.map((): number[] => []);
        const commits = settings.map((): number[] => []);
        if (session) {
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
        }
        for (let i = 0; i < REPS; i++) {
          for (let k = 0; k < settings.length; k++) {
            const j = (i + k) % settings.length; // the order rotates per repetition
            RunActor.shareOneTurn = settings[j]!;
            const s0 = driver.store.commitStats().commits;
            const c0 = cpuMs();
            const r = await driver.runOk(fc);
            cpu[j]!.push((cpuMs() - c0) / nodes);
            wall[j]!.push(r.ms);
            commits[j]!.push(driver.store.commitStats().commits - s0);
          }
        }
        RunActor.shareOneTurn = true;
        let profile: unknown = null;
        if (session) {
          const { profile: p } = await session.post('Profiler.stop');
          const file = join(values.profile!, `fanout-${width}-${variant}.cpuprofile`);
          await writeFile(file, JSON.stringify(p));
          const sum = summarizeProfile(file, 25);
          await writeFile(`${file}.summary.json`, JSON.stringify(sum, null, 2));
          profile = file;
        }
        settings.forEach((turn, j) => {
          const c = summarize(commits[j]!);
          process.stdout.write(`${JSON.stringify({
            shape: `fan-out 1→${width}→1`, variant, nodes, ...(values['ab-turn'] ? { share_one_turn: turn } : {}), cpu_ms_per_node: summarize(cpu[j]!),
            commits_per_run: c, outcomes_per_commit: Number((nodes / c.median).toFixed(2)), wall_ms: summarize(wall[j]!), errors: driver.errors.length, profile,
          })}\n`);
        });
      }
    }
  } finally {
    session?.disconnect();
    await driver.close();
  }
} finally {
  await cluster.stop();
}
