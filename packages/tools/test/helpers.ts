/** Shared test fixtures: temp workspaces, invocation contexts, counting and flaky tool wrappers. */
import { LlmctlError } from '@llmctl/contracts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  defineTool,
  InMemoryArtifactSink,
  InMemoryAuditSink,
  InMemoryToolLedger,
  type Tool,
  type ToolInvocationContext,
  type ToolSpan,
} from '../src/index.ts';

/** A temp directory under os.tmpdir(); `cleanup` removes it. */
export function tempDir(prefix = 'llmctl-tools-'): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An invocation context over fresh in-memory ports, plus handles on them. */
export function makeCtx(workspace_dir: string, overrides: Partial<ToolInvocationContext> = {}) {
  const ledger = new InMemoryToolLedger();
  const artifacts = new InMemoryArtifactSink();
  const audit = new InMemoryAuditSink();
  const spans: ToolSpan[] = [];
  let calls = 0;
  const ctx = (callIndex = calls++): ToolInvocationContext => ({
    idempotency_key: `run:r1:node:n1:iter:1:tool:${callIndex}`,
    correlation_id: 'corr-1',
    request_id: 'req-1',
    run_id: 'r1',
    node_run_id: 'nr1',
    flowchart_id: 'fc1',
    workspace_dir,
    ledger,
    artifacts,
    audit,
    tracer: (s) => void spans.push(s),
    ...overrides,
  });
  return { ctx, ledger, artifacts, audit, spans };
}

/** Wraps `tool` so that its runs are counted. */
export function counted<I, O>(tool: Tool<I, O>): { tool: Tool<I, O>; runs: () => number } {
  let runs = 0;
  const wrapped = defineTool<I, O>({
    ...tool,
    run: (input, ctx) => {
      runs += 1;
      return tool.run(input, ctx);
    },
  });
  return { tool: wrapped, runs: () => runs };
}

/**
 * Wraps `tool` so its first `failures` runs throw (retryable `unavailable` by default), with the given retry policy.
 */
export function flaky<I, O>(
  tool: Tool<I, O>,
  failures: number,
  options: { retryable?: boolean; max_attempts?: number } = {},
): { tool: Tool<I, O>; runs: () => number } {
  let runs = 0;
  const wrapped = defineTool<I, O>({
    ...tool,
    retry: { max_attempts: options.max_attempts ?? 3, backoff_ms: 1 },
    run: (input, ctx) => {
      runs += 1;
      if (runs <= failures) {
        return Promise.reject(new LlmctlError('unavailable', `transient failure ${runs}`, {}, options.retryable ?? true));
      }
      return tool.run(input, ctx);
    },
  });
  return { tool: wrapped, runs: () => runs };
}

/** Runs git in `dir` (test setup only). */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });
}

/** True while a process with `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Waits (polling) until `predicate` holds or `ms` pass; returns whether it held. */
export async function eventually(predicate: () => boolean, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return predicate();
}
