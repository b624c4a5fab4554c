/** Context shared by the editor's panels: the current graph, the dispatcher and the indexed problems. */
import { createContext, useContext, type Dispatch } from 'react';
import type { EditorAction } from '../../core/editor-state.ts';
import type { Graph } from '../../core/types.ts';
import type { IssueIndex } from '../../core/validation-issues.ts';

/** What every editor panel can read. */
export interface EditorContextValue {
  graph: Graph;
  dispatch: Dispatch<EditorAction>;
  issues: IssueIndex;
  flowchartId: string;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

/** Reads the editor context (throws outside the editor). */
export function useEditor(): EditorContextValue {
  const v = useContext(EditorContext);
  if (!v) throw new Error('useEditor outside EditorContext');
  return v;
}
