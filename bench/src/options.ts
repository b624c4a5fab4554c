import type { EngineId } from './engines.ts';
import type { ConcurrencyEngine } from './sections/concurrency.ts';
import type { Shape } from './workloads.ts';

/** Sections of the benchmark (each can be left out with `--skip`). */
export const SECTIONS = ['scaling', 'engine', 'latency', 'transport', 'footprint', 'concurrency', 'profile', 'startup', 'server-load'] as const;
export type Section = (typeof SECTIONS)[number];

/** Everything a benchmark run is parameterised by. */
export interface BenchOptions {
  mode: 'full' | 'quick' | 'tiny';
  /** Engines of the scaling matrix. */
  engines: EngineId[];
  /** The scaling workloads (chain, fan-out, loop). */
  shapes: Shape[];
  /** Timed repetitions of a shape with this many work nodes or fewer… */
  repsSmall: number;
  /** …and of bigger ones. */
  repsLarge: number;
  /** Work-node count above which a shape counts as large (no warm-up run, `repsLarge`). */
  largeAbove: number;
  /** Issue 4's engine benchmark on llmctl alone (durable). */
  engineShapes: Shape[];
  engineReps: number;
  /** Sequential 3-node runs for end-to-end latency (per engine). */
  latencyRuns: number;
  /** Concurrent 3-node runs per batch, and batches (repetitions). */
  concurrentRuns: number;
  concurrentBatches: number;
  /** Engines of the concurrency workload. */
  concurrencyEngines: ConcurrencyEngine[];
  /** Run the concurrency workload in child processes (clean peak RSS); false runs it in this process. */
  isolate: boolean;
  /** Run issue 4's engine benchmark in a child process (clean peak memory). */
  isolateEngine: boolean;
  /** Shapes the database footprint is measured on. */
  footprintShapes: Shape[];
  /** Write amplification: a payload of this size passed along a chain of this many pass-through nodes. */
  amplification: { nodes: number; payloadBytes: number } | null;
  /** Shapes profiled with `node --cpu-prof` (llmctl pass-through). */
  profileShapes: Shape[];
  /** `llmctl serve` start-ups: cold (fresh data dir) and warm (same dir again). */
  coldStarts: number;
  warmStarts: number;
  /** The llmctl chain driven over TCP and over a Unix-domain socket, and its repetitions. */
  transportShape: Shape;
  transportReps: number;
  /** Store round trips measured per query. */
  storeQueries: number;
  /** Sections to leave out. */
  skip: Section[];
  /** Use this PostgreSQL (a URL whose user may CREATE DATABASE) instead of starting an embedded one. */
  adminUrl?: string;
  /** Embedded server without fsync (like the test cluster). Default false: the settings `llmctl serve` runs with. */
  fastCluster: boolean;
  /** Set by `--headline`: a subset of the full run (see {@link headlineOptions}). */
  headline?: boolean;
}

const ALL_ENGINES: EngineId[] = ['llmctl-task', 'llmctl-pass', 'langgraph-memory', 'langgraph-pg-async', 'langgraph-pg-sync', 'dbos', 'raw-commit', 'restate'];

/** The full run (by hand, ~10 minutes on 2 cores). */
export function fullOptions(): BenchOptions {
  return {
    mode: 'full', engines: ALL_ENGINES,
    shapes: [
      { kind: 'chain', nodes: 10 }, { kind: 'chain', nodes: 100 }, { kind: 'chain', nodes: 1000 },
      { kind: 'fanout', width: 10 }, { kind: 'fanout', width: 100 }, { kind: 'fanout', width: 1000 },
      { kind: 'loop', iterations: 500 },
    ],
    repsSmall: 5, repsLarge: 3, largeAbove: 200,
    engineShapes: [{ kind: 'chain', nodes: 200 }, { kind: 'fanout', width: 500 }, { kind: 'loop', iterations: 200 }],
    engineReps: 3,
    latencyRuns: 50, concurrentRuns: 200, concurrentBatches: 3, isolate: true, isolateEngine: true,
    concurrencyEngines: ['llmctl-task', 'langgraph-memory', 'langgraph-pg-async', 'dbos', 'raw-commit', 'restate'],
    footprintShapes: [{ kind: 'chain', nodes: 100 }, { kind: 'fanout', width: 100 }],
    amplification: { nodes: 50, payloadBytes: 4096 },
    profileShapes: [{ kind: 'chain', nodes: 500 }, { kind: 'fanout', width: 1000 }, { kind: 'loop', iterations: 200 }],
    coldStarts: 2, warmStarts: 3, storeQueries: 300, transportShape: { kind: 'chain', nodes: 200 }, transportReps: 5, skip: [], fastCluster: false,
  };
}

/**
 * The headline subset of the full run, for a heavily loaded machine: the issue 17 comparison (chain 10 / 100, fan-out
 * 1→100→1, 3-node latency, 200 concurrent runs, HTTP load, write amplification) without the 1,000-node workloads.
 */
export function headlineOptions(): BenchOptions {
  return {
    ...fullOptions(), headline: true,
    shapes: [{ kind: 'chain', nodes: 10 }, { kind: 'chain', nodes: 100 }, { kind: 'fanout', width: 100 }],
    repsSmall: 3, latencyRuns: 20, concurrentBatches: 1,
    footprintShapes: [{ kind: 'chain', nodes: 100 }], profileShapes: [],
  };
}

/**
 * CI's quick mode: every section on small sizes, seconds. Restate is left out (its server starts in a network
 * namespace of its own, ~3 s per start, and CI may not be allowed to make one); bench/test/restate-peer.test.ts runs
 * its driver on tiny shapes instead.
 */
export function quickOptions(): BenchOptions {
  return {
    ...fullOptions(), mode: 'quick', engines: ALL_ENGINES.filter((e) => e !== 'restate'),
    shapes: [{ kind: 'chain', nodes: 10 }, { kind: 'chain', nodes: 30 }, { kind: 'fanout', width: 10 }, { kind: 'fanout', width: 30 }, { kind: 'loop', iterations: 10 }],
    repsSmall: 2, repsLarge: 2, largeAbove: 1000,
    engineShapes: [{ kind: 'chain', nodes: 20 }, { kind: 'fanout', width: 20 }, { kind: 'loop', iterations: 10 }],
    engineReps: 2, latencyRuns: 10, concurrentRuns: 20, concurrentBatches: 1, isolateEngine: false,
    concurrencyEngines: ['llmctl-task', 'langgraph-pg-async', 'dbos'],
    footprintShapes: [{ kind: 'chain', nodes: 10 }],
    amplification: null,
    profileShapes: [{ kind: 'chain', nodes: 50 }],
    coldStarts: 1, warmStarts: 1, storeQueries: 50, transportShape: { kind: 'chain', nodes: 20 }, transportReps: 2,
  };
}

/** The in-process harness test: tiny sizes, no child processes, no `llmctl serve`. */
export function tinyOptions(): BenchOptions {
  return {
    ...quickOptions(), mode: 'tiny',
    shapes: [{ kind: 'chain', nodes: 3 }, { kind: 'chain', nodes: 6 }, { kind: 'fanout', width: 3 }, { kind: 'loop', iterations: 3 }],
    repsSmall: 1, repsLarge: 1,
    engineShapes: [{ kind: 'chain', nodes: 3 }], engineReps: 1,
    latencyRuns: 3, concurrentRuns: 4, concurrentBatches: 1, isolate: false, isolateEngine: false,
    footprintShapes: [{ kind: 'chain', nodes: 3 }], amplification: { nodes: 3, payloadBytes: 1024 }, profileShapes: [], storeQueries: 5,
    transportShape: { kind: 'chain', nodes: 3 }, transportReps: 1,
    skip: ['profile', 'startup', 'server-load'],
  };
}

/** Parses `run-all.ts` arguments: `--quick`, `--skip a,b`, `--database-url URL`, `--fast-cluster`, `--out DIR`. */
export function parseArgs(argv: string[]): { options: BenchOptions; out: string | undefined; render: string | undefined; help: boolean } {
  let options = argv.includes('--quick') ? quickOptions() : argv.includes('--headline') ? headlineOptions() : fullOptions();
  let out: string | undefined;
  let render: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick' || a === '--headline' || a === '--help' || a === '-h') continue;
    else if (a === '--skip') {
      const names = value().split(',').map((s) => s.trim()).filter(Boolean);
      for (const n of names) if (!(SECTIONS as readonly string[]).includes(n)) throw new Error(`unknown section ${n} (sections: ${SECTIONS.join(', ')})`);
      options = { ...options, skip: [...options.skip, ...(names as Section[])] };
    } else if (a === '--database-url') options = { ...options, adminUrl: value() };
    else if (a === '--fast-cluster') options = { ...options, fastCluster: true };
    else if (a === '--out') out = value();
    else if (a === '--render') render = value();
    else throw new Error(`unknown argument ${a}`);
  }
  return { options, out, render, help: argv.includes('--help') || argv.includes('-h') };
}

export const USAGE = `npm run bench [-- --quick | --headline] [--skip ${SECTIONS.join(',')}] [--database-url URL] [--fast-cluster] [--out DIR]
  full (default): every workload at full size, writes bench/report.md and bench/charts/*.svg (+ bench/results/)
  --quick: small sizes (CI), writes bench/results/report-quick.md only
  --headline: the issue 17 subset of the full run (no 1,000-node workloads), writes bench/report.md like a full run
  --render FILE: re-render a saved bench/results/report.json with the current report code (no measuring)`;
