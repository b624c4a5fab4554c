/**
 * Durable 1→N→1 fan-out runs on the in-process runtime (issue 17, "Incremental fan-in"). Not a test: it prints one
 * JSON line per width.
 *
 *   node --import tsx bench/src/fan-in-durable.ts [--widths 100,1000] [--reps 3] [--database-url URL] [--variant pass|task]
 *
 * The scaling benchmark's fan-out flowchart on the runtime as `llmctl serve` composes it (embedded PostgreSQL with the
 * server's settings unless `--database-url` names one). Per width: the wall-clock time of each run (start call →
 * terminal event) and the CPU time this process spent meanwhile (engine + runtime + driver, not PostgreSQL), which is
 * the figure that stays comparable on a loaded machine. To compare two checkouts, run each checkout's copy of this
 * script in turn, interleaved, against the same `--database-url`.
 */
import { parseArgs } from 'node:util';
import { openCluster } from './cluster.ts';
import { LlmctlDriver } from './llmctl-driver.ts';
import { llmctlDocument } from './llmctl-graphs.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({ options: { widths: { type: 'string' }, reps: { type: 'string' }, 'database-url': { type: 'string' }, variant: { type: 'string' } } });
const WIDTHS = (values.widths ?? '100,1000').split(',').map(Number);
const REPS = Number(values.reps ?? 3);
const VARIANT = values.variant === 'task' ? 'task' : 'pass';

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const cluster = await openCluster({ adminUrl: values['database-url'] });
try {
  const scratch = await cluster.database('fanin');
  const driver = await LlmctlDriver.open(scratch.url);
  try {
    for (const width of WIDTHS) {
      const fc = await driver.save(llmctlDocument({ kind: 'fanout', width }, VARIANT));
      await driver.runOk(fc); // warm-up
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const c0 = cpuMs();
        const r = await driver.runOk(fc);
        cpu.push(cpuMs() - c0);
        wall.push(r.ms);
      }
      process.stdout.write(`${JSON.stringify({ shape: `fan-out 1→${width}→1`, variant: VARIANT, nodes: width + 3, wall_ms: summarize(wall), cpu_ms: summarize(cpu), errors: driver.errors.length })}\n`);
    }
  } finally {
    await driver.close();
  }
} finally {
  await cluster.stop();
}
