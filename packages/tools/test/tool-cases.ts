/**
 * One case per domain tool for the every-tool test matrix: how to set up a fresh environment, a valid input, an
 * invalid one, an input that really fails (or none), the artifact kind it emits, and how to count its side effect.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createGitTools,
  createRagCollection,
  createWorkspaceTools,
  ingestDocument,
  InMemoryMemoryStore,
  InMemoryMilestoneStore,
  InMemoryPlanStore,
  InMemoryRagStore,
  memoryTool,
  milestoneTool,
  planTool,
  ragTool,
  runCommandTool,
  type Tool,
} from '../src/index.ts';
import { git, tempDir } from './helpers.ts';

/** A fresh environment for one tool. */
export interface ToolEnv {
  tool: Tool<any, any>;
  workspace: string;
  /** Counts the real side effect, when the tool has one worth counting. */
  sideEffects?: () => number | Promise<number>;
  cleanup: () => void;
}

/** One tool of the matrix. */
export interface ToolCase {
  name: string;
  setup: () => Promise<ToolEnv>;
  valid: unknown;
  invalid: unknown;
  /** An input the tool really fails on, and the code; tools without one use an always-failing wrapper. */
  failing?: { input: unknown; code: string };
  artifactKind: string | null;
  /** What the fallback output should be for this tool (special nodes define one). */
  fallbackOutput?: unknown;
}

function workspaceEnv(name: string, prepare?: (dir: string) => void): () => Promise<ToolEnv> {
  return async () => {
    const { dir, cleanup } = tempDir();
    writeFileSync(path.join(dir, 'a.txt'), 'hello world\n');
    prepare?.(dir);
    const tool = createWorkspaceTools().find((t) => t.name === name)!;
    return { tool, workspace: dir, cleanup };
  };
}

function gitEnv(name: string): () => Promise<ToolEnv> {
  return async () => {
    const { dir, cleanup } = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
    writeFileSync(path.join(dir, 'a.txt'), 'two\n');
    const tool = createGitTools().find((t) => t.name === name)!;
    const sideEffects =
      name === 'git_commit'
        ? () => Number(git(dir, 'rev-list', '--count', 'HEAD').trim())
        : name === 'git_branch'
          ? () => git(dir, 'branch', '--list').split('\n').filter(Boolean).length
          : undefined;
    return { tool, workspace: dir, cleanup, ...(sideEffects ? { sideEffects } : {}) };
  };
}

/** Every domain tool. */
export const TOOL_CASES: ToolCase[] = [
  {
    name: 'read_file',
    setup: workspaceEnv('read_file'),
    valid: { path: 'a.txt' },
    invalid: { path: 5 },
    failing: { input: { path: '../outside.txt' }, code: 'path_outside_workspace' },
    artifactKind: null,
  },
  {
    name: 'write_file',
    setup: async () => {
      const env = await workspaceEnv('write_file')();
      const file = path.join(env.workspace, 'log.txt');
      return { ...env, sideEffects: () => { try { return readFileSync(file, 'utf8').length; } catch { return 0; } } };
    },
    valid: { path: 'log.txt', content: 'x', mode: 'append' },
    invalid: { path: 'log.txt', content: 1 },
    failing: { input: { path: '/etc/passwd', content: '' }, code: 'path_outside_workspace' },
    artifactKind: 'workspace_file',
  },
  {
    name: 'list_files',
    setup: workspaceEnv('list_files'),
    valid: { recursive: true },
    invalid: { recursive: 'yes' },
    failing: { input: { path: '..' }, code: 'path_outside_workspace' },
    artifactKind: null,
  },
  {
    name: 'search_files',
    setup: workspaceEnv('search_files'),
    valid: { query: 'hello' },
    invalid: {},
    failing: { input: { query: 'x', path: '/tmp' }, code: 'path_outside_workspace' },
    artifactKind: null,
  },
  { name: 'git_status', setup: gitEnv('git_status'), valid: {}, invalid: { extra: 1 }, artifactKind: null },
  {
    name: 'git_diff',
    setup: gitEnv('git_diff'),
    valid: {},
    invalid: { staged: 'no' },
    failing: { input: { paths: ['../x'] }, code: 'path_outside_workspace' },
    artifactKind: null,
  },
  {
    name: 'git_commit',
    setup: gitEnv('git_commit'),
    valid: { message: 'update a' },
    invalid: { message: '' },
    failing: { input: { message: 'm', paths: ['/etc'] }, code: 'path_outside_workspace' },
    artifactKind: 'git_commit',
  },
  {
    name: 'git_branch',
    setup: gitEnv('git_branch'),
    valid: { op: 'create', name: 'feature/x' },
    invalid: { op: 'create' },
    failing: { input: { op: 'create', name: '-D' }, code: 'tool_input_invalid' },
    artifactKind: null,
  },
  {
    name: 'run_command',
    setup: async () => {
      const { dir, cleanup } = tempDir();
      const tool = runCommandTool({ allowlist: ['node'] });
      const file = path.join(dir, 'count.txt');
      return { tool, workspace: dir, cleanup, sideEffects: () => { try { return readFileSync(file, 'utf8').length; } catch { return 0; } } };
    },
    valid: { program: 'node', args: ['-e', "require('fs').appendFileSync('count.txt', 'x')"] },
    invalid: { program: 'node', args: 'not an array' },
    failing: { input: { program: 'rm', args: ['-rf', '.'] }, code: 'command_not_allowed' },
    artifactKind: 'command_result',
  },
  {
    name: 'memory',
    setup: async () => {
      const { dir, cleanup } = tempDir();
      const store = new InMemoryMemoryStore();
      return { tool: memoryTool(store), workspace: dir, cleanup, sideEffects: async () => (await store.list({})).length };
    },
    valid: { op: 'add', text: 'The customer prefers email', scope: 'flowchart' },
    invalid: { op: 'add' },
    artifactKind: 'memory',
    fallbackOutput: { op: 'retrieve', memories: [], count: 0 },
  },
  {
    name: 'plan',
    setup: async () => {
      const { dir, cleanup } = tempDir();
      return { tool: planTool(new InMemoryPlanStore()), workspace: dir, cleanup };
    },
    valid: { op: 'create_or_update', plan_key: 'launch', items: [{ title: 'Write docs' }, { title: 'Ship' }] },
    invalid: { op: 'complete_item', plan_key: 'launch' },
    failing: { input: { op: 'complete_item', plan_key: 'none', item_key: 'x' }, code: 'plan_item_not_found' },
    artifactKind: 'plan',
    fallbackOutput: { plan_key: 'launch', items: [] },
  },
  {
    name: 'milestone',
    setup: async () => {
      const { dir, cleanup } = tempDir();
      return { tool: milestoneTool(new InMemoryMilestoneStore()), workspace: dir, cleanup };
    },
    valid: { op: 'complete', milestone_key: 'beta', title: 'Beta', terminate: 'on_complete' },
    invalid: { op: 'finish', milestone_key: 'beta' },
    artifactKind: 'milestone',
  },
  {
    name: 'rag',
    setup: async () => {
      const { dir, cleanup } = tempDir();
      const store = new InMemoryRagStore();
      await createRagCollection(store, 'docs');
      await ingestDocument(store, { collection: 'docs', name: 'guide.md', media_type: 'text/markdown', text: '# Install\n\nRun the installer.' });
      return { tool: ragTool(store), workspace: dir, cleanup };
    },
    valid: { collection: 'docs', query: 'installer' },
    invalid: { collection: 'docs' },
    failing: { input: { collection: 'missing', query: 'x' }, code: 'rag_collection_not_found' },
    artifactKind: 'rag',
    fallbackOutput: { collection: 'docs', query: 'installer', results: [] },
  },
];

