/**
 * The `llmctl` command line. Commands live in one table: add an entry (name, usage, options, run) to extend it —
 * `run`, `validate`, `worker` and `migrate` are expected next.
 */
import { parseArgs } from 'node:util';
import { LlmctlError } from '@llmctl/contracts';
import { dbMigrateCommand } from './commands/db-migrate.ts';
import { serveCommand } from './commands/serve.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { runsControlCommand } from './commands/runs.ts';
import { workerCommand } from './commands/worker.ts';
import { migrateCommand } from './commands/migrate.ts';
import { executorRunCommand } from './commands/executor.ts';

/** What a command gets. */
export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  /** Parsed `--flags`. */
  flags: Record<string, string | boolean | undefined>;
  /** Prints a line to stdout. */
  out(line: string): void;
  /** Prints a line to stderr. */
  err(line: string): void;
}

/** One CLI command. */
export interface CommandSpec {
  /** Command words, e.g. `serve` or `db migrate`. */
  name: string;
  usage: string;
  summary: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  /** Resolves with the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

const dataDirOption = { 'data-dir': { type: 'string' as const } };

/** Every command, in help order. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'serve',
    usage: 'llmctl serve [--host 127.0.0.1] [--port 8080] [--data-dir .llmctl] [--token TOKEN[,TOKEN…]] [--log-format json|pretty]',
    summary: 'start the API and the studio (embedded PostgreSQL unless DATABASE_URL is set; --token requires bearer auth)',
    options: { host: { type: 'string' }, port: { type: 'string', short: 'p' }, token: { type: 'string' }, 'log-format': { type: 'string' }, ...dataDirOption },
    run: serveCommand,
  },
  {
    name: 'run',
    usage: "llmctl run <flowchart.json|id> [--input '{}'] [--server URL]",
    summary: 'start a run and follow it live; exit code 0 only when it succeeds',
    options: { input: { type: 'string', short: 'i' }, server: { type: 'string' }, ...dataDirOption },
    run: runCommand,
  },
  {
    name: 'validate',
    usage: 'llmctl validate <flowchart.json>',
    summary: 'validate a flowchart document and print every coded problem',
    run: validateCommand,
  },
  {
    name: 'runs',
    usage: 'llmctl runs <action> <run id> [options]',
    summary: 'control a run: pause|resume|cancel|retry|skip|rewind; --node-run ID, --output JSON, --input-override JSON, --mode now, --reason TEXT, --server URL; `runs list [--flowchart ID] [--status S] [--limit N] [--json]`; `runs show|events|logs <id> [--json]`; `runs delete <id>`; `runs prune [--keep-days N] [--keep-last N] [--flowchart ID]`',
    options: { 'node-run': { type: 'string' }, output: { type: 'string' }, 'input-override': { type: 'string' }, mode: { type: 'string' }, reason: { type: 'string' }, server: { type: 'string' }, 'keep-days': { type: 'string' }, 'keep-last': { type: 'string' }, flowchart: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, ...dataDirOption },
    run: runsControlCommand,
  },
  {
    name: 'worker',
    usage: 'llmctl worker [--data-dir DIR] [--concurrency 4] [--class frontier|vllm]… [--name NAME] [--drain-timeout-s 60]',
    summary: 'execute queued node attempts (executor: queue) and take over the runs of servers that died; DATABASE_URL or --data-dir of a running serve',
    options: {
      concurrency: { type: 'string' }, class: { type: 'string', multiple: true }, name: { type: 'string' }, 'drain-timeout-s': { type: 'string' },
      'heartbeat-timeout-s': { type: 'string' }, ...dataDirOption,
    },
    run: workerCommand,
  },
  {
    name: 'executor run',
    usage: 'llmctl executor run --payload-file FILE',
    summary: 'execute one node attempt from a payload file (Kubernetes executor images); prints LLMCTL_EXECUTOR_STARTED, then one LLMCTL_EXECUTOR_RESULT_JSON= line',
    options: { 'payload-file': { type: 'string' } },
    run: executorRunCommand,
  },
  {
    name: 'flowcharts',
    usage: 'llmctl flowcharts list|show [id] [--search TEXT] [--version N] [--limit N] [--json]',
    summary: 'list flowcharts, or show one (nodes, connectors, warnings); --json prints the API data',
    options: { search: { type: 'string' }, version: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, server: { type: 'string' }, ...dataDirOption },
    run: async (ctx) => (await import('./commands/read-commands.ts')).flowchartsCommand(ctx),
  },
  {
    name: 'migrate',
    usage: 'llmctl migrate <file|-> [--from-url URL] [--from-database URL] [--model-map FILE] [--apply] [--non-strict] [--report-json FILE] [--server URL]',
    summary: 'import legacy llmctl flowcharts: compatibility report per flowchart (dry run), --apply the ready ones; exit 0 all ready, 2 any blocked, 1 bad input',
    options: {
      'from-url': { type: 'string' }, 'from-database': { type: 'string' }, 'model-map': { type: 'string' }, apply: { type: 'boolean' }, 'non-strict': { type: 'boolean' },
      'report-json': { type: 'string' }, server: { type: 'string' }, ...dataDirOption,
    },
    run: migrateCommand,
  },
  {
    name: 'db migrate',
    usage: 'llmctl db migrate [--data-dir .llmctl]',
    summary: 'apply pending database migrations and exit',
    options: { ...dataDirOption },
    run: dbMigrateCommand,
  },
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'usage: llmctl <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'environment: DATABASE_URL (external PostgreSQL), LLMCTL_DATA_DIR, LLMCTL_HOST, LLMCTL_PORT, LLMCTL_BODY_LIMIT, LLMCTL_LOG_LEVEL, LLMCTL_API_TOKENS, LLMCTL_RATE_LIMIT',
  ].join('\n');
}

function findCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const matches = COMMANDS.map((spec) => ({ spec, words: spec.name.split(' ') }))
    .filter(({ words }) => words.every((w, i) => argv[i] === w))
    .sort((a, b) => b.words.length - a.words.length);
  const best = matches[0];
  return best ? { spec: best.spec, rest: argv.slice(best.words.length) } : undefined;
}

/** Runs the CLI with `argv` (without `node` and the script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    out(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    err(`llmctl: unknown command "${argv.join(' ')}"\n\n${usage()}`);
    return 2;
  }
  const { spec, rest } = found;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    err(`llmctl ${spec.name}: ${(e as Error).message}\nusage: ${spec.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    out(`usage: ${spec.usage}\n\n${spec.summary}`);
    return 0;
  }
  try {
    return await spec.run({ args: parsed.positionals, flags: parsed.values as CommandContext['flags'], out, err });
  } catch (e) {
    if (e instanceof LlmctlError) {
      err(`llmctl ${spec.name}: error [${e.code}]: ${e.message}`);
    } else {
      err(`llmctl ${spec.name}: ${(e as Error)?.stack ?? String(e)}`);
    }
    return 1;
  }
}
