/** `git_status`, `git_diff`, `git_commit` and `git_branch` on the workspace repository. */
import { LlmctlError } from '@llmctl/contracts';
import { realpath } from 'node:fs/promises';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
import { checkReservedPath } from '../workspace/reserved-paths.ts';
import { resolveWorkspacePath } from '../workspace/workspace-paths.ts';
import { checkBranchName, runGit, type GitRunnerOptions } from './git-runner.ts';
import { parsePorcelainStatus, type GitStatus } from './git-status.ts';

/** Options of the git tools. */
export interface GitToolOptions extends DomainToolOptions, GitRunnerOptions {
  /** Largest diff returned (default 1 MiB); longer diffs are truncated. */
  max_diff_bytes?: number;
}

/** The commit-message trailer that carries the tool call's idempotency key. */
export const IDEMPOTENCY_TRAILER = 'Llmctl-Idempotency-Key';

/** Output of `git_diff`. */
export interface GitDiffOutput { diff: string; truncated: boolean }
/** Output of `git_commit`. */
export interface GitCommitOutput { committed: boolean; sha: string | null; branch: string | null; message: string; files: string[] }
/** Output of `git_branch`. */
export interface GitBranchOutput { current: string | null; branches: string[]; created?: boolean }

const pathList = { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 4096 } };
const stringOrNull = { type: ['string', 'null'] };

async function confinedPaths(workspace: string, paths: readonly string[] | undefined): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths ?? []) {
    const resolved = await resolveWorkspacePath(workspace, p);
    checkReservedPath(p, resolved.relative, false);
    out.push(resolved.relative);
  }
  return out;
}

async function headSha(root: string, o: GitToolOptions, signal: AbortSignal): Promise<string | null> {
  const res = await runGit(root, ['rev-parse', '--verify', '-q', 'HEAD'], { ...o, signal, allowExit: [0, 1, 128] });
  return res.exit_code === 0 ? res.stdout.trim() : null;
}

async function currentBranch(root: string, o: GitToolOptions, signal: AbortSignal): Promise<string | null> {
  const res = await runGit(root, ['symbolic-ref', '--short', '-q', 'HEAD'], { ...o, signal, allowExit: [0, 1] });
  return res.exit_code === 0 ? res.stdout.trim() : null;
}

/** The four git tools. */
export function createGitTools(options: GitToolOptions = {}): Tool<any, any>[] {
  const retry = options.retry ?? { max_attempts: 2, backoff_ms: 100 };
  const timeout_ms = options.timeout_ms ?? 60_000;
  const maxDiff = options.max_diff_bytes ?? 1024 * 1024;
  const root = (workspace: string): Promise<string> => realpath(workspace);

  const status = defineTool<Record<string, never>, GitStatus>({
    name: 'git_status',
    description: 'Status of the workspace git repository: current branch and changed paths.',
    input_schema: { type: 'object', additionalProperties: false, properties: {} },
    output_schema: {
      type: 'object',
      required: ['branch', 'clean', 'entries'],
      additionalProperties: false,
      properties: {
        branch: stringOrNull,
        clean: { type: 'boolean' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'index', 'worktree'],
            additionalProperties: false,
            properties: { path: { type: 'string' }, index: { type: 'string' }, worktree: { type: 'string' }, orig_path: { type: 'string' } },
          },
        },
      },
    },
    side_effect: 'read',
    retry,
    timeout_ms,
    async run(_input, ctx) {
      const dir = await root(ctx.workspace_dir);
      const res = await runGit(dir, ['status', '--porcelain=v1', '-z', '--branch', '--untracked-files=all'], { ...options, signal: ctx.signal });
      return parsePorcelainStatus(res.stdout);
    },
  });

  const diff = defineTool<{ staged?: boolean; paths?: string[] }, GitDiffOutput>({
    name: 'git_diff',
    description: 'Unified diff of the workspace repository: unstaged changes, or staged ones with staged=true.',
    input_schema: {
      type: 'object',
      additionalProperties: false,
      properties: { staged: { type: 'boolean' }, paths: pathList },
    },
    output_schema: {
      type: 'object',
      required: ['diff', 'truncated'],
      additionalProperties: false,
      properties: { diff: { type: 'string' }, truncated: { type: 'boolean' } },
    },
    side_effect: 'read',
    retry,
    timeout_ms,
    async run(input, ctx) {
      const dir = await root(ctx.workspace_dir);
      const paths = await confinedPaths(ctx.workspace_dir, input.paths);
      const args = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', ...(input.staged ? ['--cached'] : []), '--', ...paths];
      const res = await runGit(dir, args, { ...options, signal: ctx.signal });
      const bytes = Buffer.from(res.stdout, 'utf8');
      const truncated = bytes.length > maxDiff;
      return { diff: truncated ? bytes.subarray(0, maxDiff).toString('utf8') : res.stdout, truncated };
    },
  });

  const commit = defineTool<{ message: string; paths?: string[]; allow_empty?: boolean }, GitCommitOutput>({
    name: 'git_commit',
    description: 'Stage the given paths (default: every change) and commit them with the message.',
    input_schema: {
      type: 'object',
      required: ['message'],
      additionalProperties: false,
      properties: { message: { type: 'string', minLength: 1, maxLength: 20000 }, paths: pathList, allow_empty: { type: 'boolean' } },
    },
    output_schema: {
      type: 'object',
      required: ['committed', 'sha', 'branch', 'message', 'files'],
      additionalProperties: false,
      properties: {
        committed: { type: 'boolean' },
        sha: stringOrNull,
        branch: stringOrNull,
        message: { type: 'string' },
        files: { type: 'array', items: { type: 'string' } },
      },
    },
    side_effect: 'write',
    retry,
    timeout_ms,
    async run(input, ctx) {
      const dir = await root(ctx.workspace_dir);
      const o = { ...options, signal: ctx.signal };
      const trailer = `${IDEMPOTENCY_TRAILER}: ${ctx.idempotency_key}`;
      const branch = await currentBranch(dir, options, ctx.signal);
      const head = await headSha(dir, options, ctx.signal);
      if (head) {
        // A call interrupted after committing (before its result was recorded) finds its own commit.
        const last = await runGit(dir, ['log', '-1', '--format=%B'], o);
        if (last.stdout.split('\n').some((l) => l.trim() === trailer)) {
          const files = await runGit(dir, ['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', '--root', 'HEAD'], o);
          return { committed: true, sha: head, branch, message: input.message, files: files.stdout.split('\0').filter(Boolean) };
        }
      }
      const paths = await confinedPaths(ctx.workspace_dir, input.paths);
      await runGit(dir, paths.length > 0 ? ['add', '-A', '--', ...paths] : ['add', '-A'], o);
      const staged = await runGit(dir, ['diff', '--cached', '--name-only', '-z'], o);
      const files = staged.stdout.split('\0').filter(Boolean);
      if (files.length === 0 && !input.allow_empty) return { committed: false, sha: head, branch, message: input.message, files };
      await runGit(dir, ['commit', '-q', '--no-verify', ...(input.allow_empty ? ['--allow-empty'] : []), `--message=${input.message}`, `--message=${trailer}`], o);
      const sha = await headSha(dir, options, ctx.signal);
      ctx.emitArtifact({ kind: 'git_commit', name: sha ?? 'HEAD', content: { sha, branch, message: input.message, files } });
      return { committed: true, sha, branch, message: input.message, files };
    },
  });

  const branch = defineTool<{ op: 'current' | 'list' | 'create' | 'switch'; name?: string; start_point?: string }, GitBranchOutput>({
    name: 'git_branch',
    description: 'Show, list, create or switch branches of the workspace repository (create keeps the current branch).',
    input_schema: {
      type: 'object',
      required: ['op'],
      additionalProperties: false,
      properties: {
        op: { enum: ['current', 'list', 'create', 'switch'] },
        name: { type: 'string', minLength: 1, maxLength: 255 },
        start_point: { type: 'string', minLength: 1, maxLength: 255 },
      },
      allOf: [{ if: { properties: { op: { enum: ['create', 'switch'] } } }, then: { required: ['name'] } }],
    },
    output_schema: {
      type: 'object',
      required: ['current', 'branches'],
      additionalProperties: false,
      properties: { current: stringOrNull, branches: { type: 'array', items: { type: 'string' } }, created: { type: 'boolean' } },
    },
    side_effect: 'write',
    retry,
    timeout_ms,
    async run(input, ctx) {
      const dir = await root(ctx.workspace_dir);
      const o = { ...options, signal: ctx.signal };
      const list = async (): Promise<string[]> =>
        (await runGit(dir, ['branch', '--list', '--format=%(refname:short)'], o)).stdout.split('\n').filter(Boolean).sort();
      let created: boolean | undefined;
      if (input.op === 'create' || input.op === 'switch') {
        const name = input.name ?? '';
        await checkBranchName(dir, name, options);
        if (input.op === 'create') {
          if (input.start_point?.startsWith('-')) throw new LlmctlError('tool_input_invalid', 'Invalid start point', { start_point: input.start_point });
          created = !(await list()).includes(name);
          if (created) await runGit(dir, ['branch', name, ...(input.start_point ? [input.start_point] : [])], o);
        } else {
          await runGit(dir, ['switch', '-q', name], o);
        }
      }
      const current = await currentBranch(dir, options, ctx.signal);
      return { current, branches: await list(), ...(created === undefined ? {} : { created }) };
    },
  });

  return [status, diff, commit, branch];
}
