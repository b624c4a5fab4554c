/** The workspace domain: file tools confined to the run workspace. */
import type { Tool } from '../../framework/define-tool.ts';
import { readFileTool, writeFileTool, type WorkspaceToolOptions } from './file-tools.ts';
import { listFilesTool, searchFilesTool } from './search-tools.ts';

export * from './file-tools.ts';
export * from './search-tools.ts';
export * from './workspace-paths.ts';
export * from './reserved-paths.ts';
export * from './regular-file.ts';

/** `read_file`, `write_file`, `list_files` and `search_files`. */
export function createWorkspaceTools(options: WorkspaceToolOptions = {}): Tool<any, any>[] {
  return [readFileTool(options), writeFileTool(options), listFilesTool(options), searchFilesTool(options)];
}
