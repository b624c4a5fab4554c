import type { BenchReport } from '../harness.ts';
import type { FootprintResult } from '../sections/footprint.ts';
import { ms } from './format.ts';

/** One finding: a cause the measurements point at, with the code location. */
export interface Finding {
  title: string;
  body: string;
}

function censusOf(r: BenchReport, engine: FootprintResult['engine']): FootprintResult | undefined {
  return r.footprint.find((f) => f.engine === engine && f.census && f.shape.kind === 'chain');
}

function per(f: FootprintResult, kind: string): { count: number; perNode: number; meanMs: number; totalMs: number } | null {
  const c = f.census?.find((x) => x.statement.startsWith(kind));
  return c ? { count: c.count, perNode: c.count / f.workNodes, meanMs: c.totalMs / c.count, totalMs: c.totalMs } : null;
}

/**
 * Findings derived from this run's measurements: each rule fires only when the evidence it names is present, so a
 * fixed problem drops out of the report by itself.
 */
export function findings(r: BenchReport): Finding[] {
  const out: Finding[] = [];
  const pass = censusOf(r, 'llmctl-pass');
  const task = censusOf(r, 'llmctl-task');

  // 1. Database time dominates: the main thread is mostly idle.
  const prof = r.profiles.filter((p) => p.shape.kind === 'chain' || p.shape.kind === 'loop');
  if (prof.length > 0 && pass) {
    const idle = prof.map((p) => `${p.label}: ${((p.summary.idleMs / p.summary.totalMs) * 100).toFixed(0)}% idle`).join(', ');
    const commit = per(pass, 'run commit');
    const totalDb = (pass.census ?? []).reduce((s, c) => s + c.totalMs, 0);
    out.push({
      title: 'Per-node cost is database round trips, not JavaScript.',
      body: `The CPU profiles show the Node.js main thread idle most of the run (${idle}): it waits for PostgreSQL. A chain node costs one commit (${commit ? `${commit.perNode.toFixed(2)} per node, mean ${ms(commit.meanMs)}` : 'see census'}) plus the statements listed under "Database writes"; in the pass-through chain the pool spent ${ms(totalDb / pass.workNodes)} per node in queries. The one-row INSERT commit floor on this disk is ${r.store.find((s) => s.query.startsWith('one-row'))?.ms.median.toFixed(3) ?? '?'} ms (median). So the per-node budget is set by round trips per node × round-trip time + fsync; the items below remove round trips and bytes.`,
    });
  }

  // 2. pg_notify after every commit.
  const notify = pass ? per(pass, 'SELECT pg_notify') : null;
  if (pass && notify && notify.perNode >= 0.5) {
    const commit = per(pass, 'run commit');
    out.push({
      title: 'Every commit pays a second round trip for `pg_notify`, and publication waits for it.',
      body: `\`packages/store/src/run-store.ts\`, \`PgRunStore.commit\`: after the commit CTE it awaits a separate \`SELECT pg_notify('llmctl_run_events', …)\` (${notify.perNode.toFixed(2)} per node, mean ${ms(notify.meanMs)}, ${commit ? `${((notify.totalMs / (notify.totalMs + commit.totalMs)) * 100).toFixed(0)}% of commit time` : ''}). \`RunActor.commit\` (\`packages/runtime/src/run-actor.ts\`) awaits \`store.commit\` before \`bus.publish\` and before \`afterCommit\` dispatches the next node, so both the event bus and the next node wait for this extra round trip. Fix: send the notification inside the commit statement (\`, n AS (SELECT pg_notify('llmctl_run_events', $20) FROM r)\` — PostgreSQL delivers it only when the transaction commits, which is also more correct), or at least do not await it.`,
    });
  }

  // 3. Task nodes: three extra round trips per model call.
  if (task) {
    const lookup = per(task, 'model lookup');
    const count = per(task, 'scripted call count');
    const row = per(task, 'model-call row');
    const extra = [lookup, count, row].filter((x): x is NonNullable<typeof x> => !!x);
    if (extra.length > 0) {
      const perNode = extra.reduce((s, x) => s + x.totalMs, 0) / task.workNodes;
      out.push({
        title: `Scripted task nodes add ${extra.reduce((s, x) => s + x.perNode, 0).toFixed(1)} round trips per node (${ms(perNode)} per node here).`,
        body: [
          lookup ? `\`RegistryModelGateway.resolve\` (\`apps/server/src/runtime/model-gateway.ts\`) runs \`ModelRepository.findByName\` on every call (${lookup.perNode.toFixed(2)} per node, mean ${ms(lookup.meanMs)}): the provider is cached but the row lookup is not — cache it per name with the \`updated_at\` stamp and invalidate on model change (the server already emits config events).` : '',
          count ? `\`callModel\` (\`packages/runtime/src/nodes/task-handler.ts\`) always passes \`countPriorCalls\`, so \`ScriptedProvider.chat\` runs \`PgModelCallLog.countScripted\` (a \`count(*)\` on \`model_calls\`) on every call (${count.perNode.toFixed(2)} per node, mean ${ms(count.meanMs)}) even when no response has \`fail_times\`; only count when the selected response has \`fail_times > 0\`.` : '',
          row ? `\`PgModelCallLog.record\` inserts the model-call row in its own round trip (${row.perNode.toFixed(2)} per node, mean ${ms(row.meanMs)}); it could ride on the node's success commit.` : '',
        ].filter(Boolean).join(' '),
      });
    }
  }

  // 4. settleJoins is O(inputs) per commit → quadratic fan-in.
  const fanProf = r.profiles.find((p) => p.shape.kind === 'fanout');
  if (fanProf) {
    const fanIn = fanProf.summary.byArea.find((a) => a.frame === '@llmctl/engine');
    const fanSelf = fanProf.summary.self.filter((s) => s.frame.includes('engine/src/run/fan-in.ts'));
    const share = fanSelf.reduce((s, x) => s + x.share, 0);
    if (share >= 0.05) {
      out.push({
        title: `Fan-in settling is quadratic in the fan-in width (${(share * 100).toFixed(0)}% of busy CPU in ${fanProf.label}).`,
        body: `\`packages/engine/src/run/fan-in.ts\`, \`settleJoins\` runs after every commit and, for every join holding tokens, rescans all of its inputs: \`holdsTokens\` (\`Object.values\` over every queue), \`headTokens\`/\`oldestHead\` (builds and sorts an array of every head token), \`inputsOf(…).filter(…)\`, and \`activeNodes\` rebuilds a set from the whole queue and running list; for \`inclusive\` joins \`inputs.every((c) => withTok.includes(c) || …)\` is O(inputs²) per commit. A 1 → N → 1 run therefore costs O(N²) (O(N³) with an inclusive join). In the profile: ${fanSelf.slice(0, 5).map((s) => `\`${s.frame.split(' (')[0]}\` ${ms(s.ms)}`).join(', ')}${fanIn ? `; @llmctl/engine is ${(fanIn.share * 100).toFixed(0)}% of busy time` : ''}. Fix: keep per-join counters (inputs holding tokens, oldest head) updated in \`applyEvent\` on \`token.enqueued\` / \`node.queued\`, and only re-examine joins whose inputs changed.`,
      });
    }
  }

  // 5. Write amplification.
  const amp = r.footprint.find((f) => f.engine === 'llmctl-pass' && f.shape.kind === 'chain');
  const lg = r.footprint.find((f) => f.engine === 'langgraph-pg-async' && amp && f.label === amp.label);
  const copies = r.amplification.find((a) => a.engine === 'llmctl-pass');
  const lgCopies = r.amplification.find((a) => a.engine === 'langgraph-pg-async');
  if (amp && (!copies || copies.walCopies > 2.5)) {
    const copyText = copies ? ` A ${(copies.payloadBytes / 1024).toFixed(0)} KiB output passed along a chain is written ${copies.walCopies.toFixed(1)} times per hop (WAL)${lgCopies ? ` against ${lgCopies.walCopies.toFixed(1)} for LangGraph + PostgresSaver` : ''}.` : '';
    out.push({
      title: `Each node hop writes its output several times over (${(amp.walPerNode / 1024).toFixed(1)} KiB of WAL and ${amp.rowsPerNode.toFixed(1)} row writes per pass-through node${lg ? `; LangGraph + PostgresSaver: ${(lg.walPerNode / 1024).toFixed(1)} KiB, ${lg.rowsPerNode.toFixed(1)} rows` : ''}).${copyText}`,
      body: 'For one hop A → B the commit writes A\'s output into: the `node.succeeded` event payload, `node_runs.output` of A (a decision repeats its routing record in `output` and `routing`), the token in B\'s `node.queued` event, and B\'s `input_snapshot` twice (`tokens[].output` and `upstream`). A node-run row is upserted in full three times (queued, started, succeeded), each rewriting the unchanged `input_snapshot`, and `runProjection` (`packages/runtime/src/projection.ts`) makes every commit rewrite the whole `runs` row including `input` (`PgRunStore.commit`, `UPDATE runs SET … input = $6 …`). With real LLM outputs (kilobytes) this multiplies WAL and fsync time. Fix: write `input`/`output` columns only when they change, keep `input_snapshot` to token references (the outputs are in the source node runs), and update only the columns a transition changes.',
    });
  }

  // 6. Run start reads the whole flowchart document.
  if (pass) {
    const fv = pass.census?.find((c) => c.statement.includes('FROM flowchart_versions'));
    if (fv) {
      out.push({
        title: 'Every run start re-reads and parses the whole flowchart document.',
        body: `\`Orchestrator.startRun\` (\`packages/runtime/src/orchestrator.ts\`) calls \`store.getFlowchartVersion\` (the full JSON document) only to learn the version, although \`graphFor\` caches the compiled graph per version (${fv.count} such read(s) in one run, mean ${ms(fv.totalMs / fv.count)}); for a 1,000-node flowchart that is ~100 KB fetched and parsed per run. A new run also pays ~7 fixed round trips (flowchart read, INSERT run, lease SELECT + UPDATE, run SELECT, event-log read of an empty log, lease release) before its first node: creating the run with its lease taken in one statement and skipping the log fold for a run known to be new would halve that.`,
      });
    }
  }
  return out;
}
