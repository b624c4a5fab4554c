import path from 'node:path';

/** The workspace directory of a run under `root` (`<root>/<run id>`, the id made safe for a file name). */
export function workspaceDirOf(root: string, runId: string): string {
  return path.join(root, runId.replace(/[^A-Za-z0-9_-]/g, '_'));
}
