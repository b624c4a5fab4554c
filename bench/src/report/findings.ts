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

  // 1b. TCP loopback vs Unix socket.
  const tcp = r.transport.find((t) => t.transport === 'tcp');
  const unix = r.transport.find((t) => t.transport === 'unix');
  if (tcp && unix && unix.perNodeMs.median < 0.8 * tcp.perNodeMs.median && unix.select1.median < 0.8 * tcp.select1.median) {
    out.push({
      title: `The embedded PostgreSQL is reached over TCP loopback; in this run a Unix-domain socket made round trips cheaper (${tcp.chainLabel}: ${ms(tcp.perNodeMs.median)} → ${ms(unix.perNodeMs.median)} per node, SELECT 1 ${ms(tcp.select1.median)} → ${ms(unix.select1.median)}).`,
      body: '`startEmbeddedPostgres` (`packages/store/src/embedded.ts`) starts the server with `unix_socket_directories: \'\'` and `listen_addresses: 127.0.0.1`, and the pool connects over TCP. Both transports were measured in the same run, interleaved; on this shared machine the gain varies between runs, so confirm before relying on it. If it holds: put the socket in the data directory (private to the llmctl process) and connect the pool through it in embedded mode; keep TCP for `DATABASE_URL`.',
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
    const extra = [lookup && lookup.perNode >= 0.2 ? lookup : undefined, count, row].filter((x): x is NonNullable<typeof x> => !!x);
    if (extra.length > 0) {
      const perNode = extra.reduce((s, x) => s + x.totalMs, 0) / task.workNodes;
      out.push({
        title: `Scripted task nodes add ${extra.reduce((s, x) => s + x.perNode, 0).toFixed(1)} round trips per node (${ms(perNode)} per node here).`,
        body: [
          lookup && lookup.perNode < 0.2
            ? `Model rows are cached per name (\`RegistryModelGateway.cacheModelRows\`, emptied on \`config:model:*\` events): ${lookup.perNode.toFixed(2)} lookups per node, only the first call of a model reads its row.`
            : lookup ? `\`RegistryModelGateway.resolve\` (\`apps/server/src/runtime/model-gateway.ts\`) runs \`ModelRepository.findByName\` on every call (${lookup.perNode.toFixed(2)} per node, mean ${ms(lookup.meanMs)}): the provider is cached but the row lookup is not — cache it per name with the \`updated_at\` stamp and invalidate on model change (the server already emits config events).` : '',
          count ? `\`callModel\` (\`packages/runtime/src/nodes/task-handler.ts\`) always passes \`countPriorCalls\`, so \`ScriptedProvider.chat\` (\`packages/providers/src/scripted.ts\`) runs \`PgModelCallLog.countScripted\` (a \`count(*)\` on \`model_calls\`) on every call (${count.perNode.toFixed(2)} per node, mean ${ms(count.meanMs)}) even when no response has \`fail_times\`; in a loop it also scans every earlier call of the node (O(iterations) per call). Only count when the selected response has \`fail_times > 0\`.` : '',
          row ? `\`PgModelCallLog.record\` inserts the model-call row in a transaction of its own (${row.perNode.toFixed(2)} per node, mean ${ms(row.meanMs)}), i.e. a second fsync'd commit per task node besides the run commit; it could ride on the node's success commit.` : '',
        ].filter(Boolean).join(' '),
      });
    }
  }

  // 4. settleJoins is O(inputs) per commit → quadratic fan-in.
  const fanProf = r.profiles.find((p) => p.shape.kind === 'fanout');
  if (fanProf) {
    const fanIn = fanProf.summary.byArea.find((a) => a.frame === '@llmctl/engine');
    const fanSelf = fanProf.summary.self.filter((s) => s.frame.includes('engine/src/run/fan-in.ts') && !s.frame.startsWith('__name'));
    const share = fanSelf.reduce((s, x) => s + x.share, 0);
    if (share >= 0.05) {
      out.push({
        title: `Fan-in settling still costs O(width) per commit (${(share * 100).toFixed(0)}% of busy CPU in ${fanProf.label}).`,
        body: `\`packages/engine/src/run/fan-in.ts\`, \`settleJoins\` now keeps held/filled counters per join, but every pass still rebuilds the liveness picture from scratch: \`activeNodes\` walks the whole queue and running list (in a 1 → N → 1 run all N branch node runs are queued at once and drain ${'`max_parallel_nodes`'} at a time, so the queue is O(N) for most of the run), \`markLive\` visits each of them, the live map is copied (\`new Map([...liveRuns].map(… new Set(v)))\`), and \`liveEmpty\` iterates every live input. That is O(N) per commit and O(N²) per run. In the profile (self time): ${fanSelf.slice(0, 5).map((x) => `${x.frame.startsWith('(anonymous)') ? 'closures inside `settleJoins`' : `\`${x.frame.split(' (')[0]}\``} ${ms(x.ms)}`).join(', ')}${fanIn ? `; @llmctl/engine is ${(fanIn.share * 100).toFixed(0)}% of busy time` : ''}. Fix: maintain, per join input, a count of queued/running node runs that keep it live (adjust it in \`applyEvent\` on node.queued / started / finished, using the precomputed \`keepsLive\`), so a pass looks only at joins whose counts or tokens changed.`,
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
      body: 'For one hop A → B, A\'s output is stored in: the `node.succeeded` event payload, `node_runs.output` of A (a decision\'s output repeats its routing record, which is also stored in `routing`), the token inside B\'s `node.queued` event, and B\'s `input_snapshot` twice (`tokens[].output` and `upstream`, built by `nodeRunView` in `packages/runtime/src/projection.ts`). On top of that every UPDATE of a node-run row (queued → started → succeeded) writes a whole new tuple (PostgreSQL MVCC), so the `input_snapshot` the commit keeps with `CASE … THEN node_runs.input_snapshot` is still copied whenever it is stored inline (under ~2 KB; larger TOASTed values keep their pointer). With real LLM outputs (kilobytes) this multiplies WAL and fsync time. Fix ideas: tokens that reference the source node run instead of embedding its output (the fold can resolve them), `upstream` derived on read instead of stored, and the routing record stored once.',
    });
  }

  // 6. Fixed round trips per run.
  if (pass) {
    // The document read fills the compiled-graph cache on a flowchart's first run in a process: not a per-run cost.
    const fixed = (pass.census ?? []).filter((c) => c.count <= 2 && !c.statement.includes('FROM flowchart_versions'));
    if (fixed.length >= 6) {
      out.push({
        title: `A run pays ${fixed.reduce((n, c) => n + c.count, 0)} fixed round trips besides its per-node commits.`,
        body: `Statements that ran once per run in the pass-through chain: ${fixed.map((c) => `\`${c.statement.replace(/…$/, '').slice(0, 48)}…\``).join(', ')}. They come from \`Orchestrator.startRun\` / \`loadActor\` (\`packages/runtime/src/orchestrator.ts\`): the version read, \`createRun\`, \`acquireLease\` (a SELECT then an UPDATE), \`getRun\`, and \`RunActor.load\` folding the (empty) log of a run created a moment ago; \`onSettled\` releases the lease after the run in one more. For short runs (the 3-node flow) this is most of the latency: create the run with its lease taken in one statement and skip the log fold for a run this process has just created.`,
      });
    }
  }

  // 7. Completed node runs are aborted.
  const probe = r.abortProbe;
  if (probe && probe.abortedAfterSuccess > 0) {
    const errFrame = r.profiles.flatMap((p) => p.summary.self).filter((x) => x.frame.startsWith('LlmctlError (')).sort((a, b) => b.ms - a.ms)[0];
    out.push({
      title: `Every node run that completes normally then has its abort signal fired (${probe.abortedAfterSuccess} of ${probe.nodeRuns} task node runs in a probe run; reason "${probe.reason}").`,
      body: `\`RunActor.afterCommit\` (\`packages/runtime/src/run-actor.ts\`) aborts each in-flight entry whose node run is no longer \`running\` — which, right after a success commit, is the node that just succeeded: \`execute\` deletes the entry only in the \`finally\` of \`runAttempts\`, which runs after the commit. So every node pays for \`abort(new LlmctlError('interrupted', …))\` (an Error with its stack trace, the abort listeners${errFrame ? `; \`LlmctlError\` has ${ms(errFrame.ms)} of self time in one profiled workload` : ''}), and whatever a handler hung on its signal (killing a tool process, closing a stream, a provider's abort path) runs after a successful finish. Fix: delete the in-flight entry before submitting the node's terminal event, or skip entries whose node run ended by its own hand.`,
    });
  }

  // 8. Pass-through loops nest their value.
  if (r.nesting && r.nesting.depth >= r.nesting.iterations) {
    out.push({
      title: `A loop whose head passes its input through nests the value one level per iteration (spec trap, not a runtime bug): ${r.nesting.iterations} iterations → ${r.nesting.depth} levels.`,
      body: 'A loop head has two incoming trigger connectors (the entry and the back connector), so it is a join and its triggering output is the `upstream` object (runtime.md "What a node sees"); a decision at the head passes `{ check: <previous value> }` on, and the next iteration wraps it again. Every commit then carries an ever deeper value (O(iterations²) bytes over a loop; the 500-iteration pass-through loop cannot be run meaningfully, so loops are benchmarked with a task head). Real agent loops whose head is a task node reset the value, but a decision or `end` at a loop head hits it. Consider making a join whose inputs are a loop entry and a back connector forward the token that fired it (or warn at save time).',
    });
  }

  // 9. The HTTP path is much slower than the runtime.
  const load = r.serverLoad && !r.serverLoad.skipped ? r.serverLoad : null;
  const inProc = r.concurrency.find((c) => c.engine === 'llmctl-task');
  if (load && inProc && load.runs === inProc.runs && load.runsPerSecond.median < 0.6 * inProc.runsPerSecond.median) {
    const own = load.profile?.summary.ownInclusive.filter((x) => /routes\/runs\.ts|run-repository|waitForRun|check \(/.test(x.frame)).slice(0, 4) ?? [];
    out.push({
      title: `Through the HTTP API, \`llmctl serve\` completes ${load.runsPerSecond.median.toFixed(0)} runs/s with ${load.runs} concurrent runs, against ${inProc.runsPerSecond.median.toFixed(0)} runs/s for the same runtime driven in process.`,
      body: `Not the long-poll: \`GET /api/runs/:id?wait_s=\` resolves from the terminal event on the bus for runs this process owns and skips commit signals the bus already delivered (no read per event), and the figure did not move when that changed (127 → 126 runs/s, same machine, quiet). What remains per HTTP run is the POST (route validation, idempotency, reading the run view to answer), the long-poll's answer (a full run read and its serialisation) and the HTTP/JSON work of 200 clients in the same 2 cores.${own.length ? ` Server profile (inclusive): ${own.map((x) => `\`${x.frame.split(' (')[0]}\` ${ms(x.ms)}`).join(', ')}.` : ''} Next: a CPU profile of \`serve\` under this load.`,

    });
  }

  // 10. Memory.
  if (load && r.emptyProcessRssMb !== null && inProc) {
    out.push({
      title: `Memory: the server's peak RSS (${load.peakRssMb.toFixed(0)} MB with ${load.runs} concurrent runs) is mostly fixed cost.`,
      body: `An idle plain \`node\` is ${(r.plainNodeRssMb ?? Number.NaN).toFixed(0)} MB and an idle \`node --import tsx\` ${r.emptyProcessRssMb.toFixed(0)} MB (\`apps/server/bin/llmctl.mjs\` registers tsx, which compiles every TypeScript module at start-up on a loader thread); the server after start-up and warm-up sits at ${load.baselineRssMb.toFixed(0)} MB (its module graph: Fastify with Swagger, the contracts' ajv validators, and the tools registry, which \`composeRuntime\` builds at start-up, compiling every tool's JSON Schema with ajv — \`createToolRegistry\` / \`compileSchema\` in the server profile; a heap snapshot would split this further). The ${load.runs} concurrent runs add ${(load.peakRssMb - load.baselineRssMb).toFixed(0)} MB in the server (HTTP sockets and long-polls included) and ${(inProc.peakRssMb - inProc.baselineRssMb).toFixed(0)} MB to the runtime alone (${inProc.peakRssMb.toFixed(0)} MB peak in its own process). To get under 200 MB: run compiled JavaScript instead of tsx in \`serve\`, and build tool domains (and their schemas) lazily, on first use.`,
    });
  }
  return out;
}
