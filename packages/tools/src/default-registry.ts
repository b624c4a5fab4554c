/** One call that registers every domain's tools. */
import type { Tool } from './framework/define-tool.ts';
import { ToolRegistry } from './framework/tool-registry.ts';
import { runCommandTool, type CommandToolOptions } from './domains/command/command-tool.ts';
import { createGitTools, type GitToolOptions } from './domains/git/git-tools.ts';
import { memoryTool } from './domains/memory/memory-tool.ts';
import type { MemoryStore } from './domains/memory/memory-store.ts';
import { milestoneTool } from './domains/milestone/milestone-tool.ts';
import type { MilestoneStore } from './domains/milestone/milestone-store.ts';
import { planTool } from './domains/plan/plan-tool.ts';
import type { PlanStore } from './domains/plan/plan-store.ts';
import { ragTool } from './domains/rag/rag-tool.ts';
import type { RagStore } from './domains/rag/rag-store.ts';
import { createWorkspaceTools } from './domains/workspace/index.ts';
import type { WorkspaceToolOptions } from './domains/workspace/file-tools.ts';

/** The stores the special-node tools use. */
export interface ToolStores {
  memory: MemoryStore;
  plan: PlanStore;
  milestone: MilestoneStore;
  rag: RagStore;
}

/** What `createToolRegistry` builds. Omit `command` to leave `run_command` out (nothing is allowed by default). */
export interface ToolRegistryOptions {
  stores: ToolStores;
  workspace?: WorkspaceToolOptions;
  git?: GitToolOptions | false;
  command?: CommandToolOptions;
}

/** Every domain tool over the given stores (tool names: memory, plan, milestone, rag, read_file, write_file,
 * list_files, search_files, git_status, git_diff, git_commit, git_branch, and run_command when configured). */
export function createToolRegistry(options: ToolRegistryOptions): ToolRegistry {
  const tools: Tool<any, any>[] = [
    memoryTool(options.stores.memory),
    planTool(options.stores.plan),
    milestoneTool(options.stores.milestone),
    ragTool(options.stores.rag),
    ...createWorkspaceTools(options.workspace),
    ...(options.git === false ? [] : createGitTools(options.git)),
    ...(options.command ? [runCommandTool(options.command)] : []),
  ];
  return new ToolRegistry(tools);
}
