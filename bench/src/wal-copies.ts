/**
 * Payload copies per node hop (issue 17, "write each output once"): a chain of pass-through nodes is run twice on a
 * fresh database each time, once with an empty payload and once with a payload of `--bytes` (incompressible text, so
 * TOAST compression hides nothing); the WAL the two runs generate (`pg_current_wal_lsn()` difference) per node, minus
 * each other, divided by the payload size, is how many times each hop writes its output.
 *
 *   node --import tsx bench/src/wal-copies.ts [--nodes 50] [--bytes 4096] [--reps 3] [--context] [--database-url URL]
 *
 * `--context`: every hop also has a context connector (dotted) from the same source, so each node gets the payload as
 * its token and as its `context` (issue 17, session 4: context values stored once, by reference).
 *
 * Not a test: prints one line per repetition and the median. The cluster is otherwise idle (an embedded PostgreSQL of
 * its own unless `--database-url` names an admin URL), so the WAL difference is the run's.
 */
import { parseArgs } from 'node:util';
import { openCluster } from './cluster.ts';
import { runFootprint } from './sections/footprint.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string' }, bytes: { type: 'string' }, reps: { type: 'string' }, context: { type: 'boolean' }, 'database-url': { type: 'string' } } });
const nodes = Number(values.nodes ?? 50);
const payloadBytes = Number(values.bytes ?? 4096);
const reps = Number(values.reps ?? 3);

const cluster = await openCluster(values['database-url'] ? { adminUrl: values['database-url'] } : {});
try {
  const copies: number[] = [];
  for (let i = 0; i < reps; i++) {
    const { amplification } = await runFootprint(cluster, [], { nodes, payloadBytes, context: values.context === true }, () => undefined, ['llmctl-pass']);
    const a = amplification[0]!;
    copies.push(a.walCopies);
    process.stdout.write(`rep ${i + 1}: chain ${nodes}${values.context ? ' (+ context connectors)' : ''}, ${payloadBytes} B payload: WAL per node ${(a.walPerNodePlain / 1024).toFixed(1)} KiB empty, `
      + `${(a.walPerNodePayload / 1024).toFixed(1)} KiB with payload → ${a.walCopies.toFixed(2)} copies per hop (tables ${a.tableCopies.toFixed(2)})\n`);
  }
  copies.sort((x, y) => x - y);
  process.stdout.write(`median: ${copies[Math.floor(copies.length / 2)]!.toFixed(2)} copies of the payload in WAL per hop (min ${copies[0]!.toFixed(2)}, max ${copies[copies.length - 1]!.toFixed(2)})\n`);
} finally {
  await cluster.stop();
}
