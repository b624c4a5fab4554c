/**
 * Local autosave of the editor: the document being edited is kept in `localStorage` under a key of its flowchart id
 * while it differs from the saved version, and offered back when the flowchart is opened again.
 */

/** A locally kept draft. */
export interface LocalDraft {
  /** JSON of the flowchart document. */
  json: string;
  /** The version the edits started from. */
  base_version: number;
  /** ISO time of the last autosave. */
  saved_at: string;
}

/** The subset of `Storage` the drafts use (tests pass a Map-backed one). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Storage key of a flowchart's local draft. */
export function localDraftKey(flowchartId: string): string {
  return `llmctl.draft.${flowchartId}`;
}

/** The local draft of a flowchart, or null (absent, unreadable or malformed). */
export function readLocalDraft(store: DraftStorage, flowchartId: string): LocalDraft | null {
  try {
    const raw = store.getItem(localDraftKey(flowchartId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<LocalDraft>;
    if (typeof d.json !== 'string' || typeof d.saved_at !== 'string') return null;
    JSON.parse(d.json);
    return { json: d.json, base_version: typeof d.base_version === 'number' ? d.base_version : 0, saved_at: d.saved_at };
  } catch {
    return null;
  }
}

/** Keeps `json` as the local draft (quota or privacy-mode errors are ignored: autosave is best effort). */
export function writeLocalDraft(store: DraftStorage, flowchartId: string, json: string, baseVersion: number, now = new Date()): void {
  try {
    store.setItem(localDraftKey(flowchartId), JSON.stringify({ json, base_version: baseVersion, saved_at: now.toISOString() } satisfies LocalDraft));
  } catch {
    /* best effort */
  }
}

/** Forgets the local draft of a flowchart. */
export function clearLocalDraft(store: DraftStorage, flowchartId: string): void {
  try {
    store.removeItem(localDraftKey(flowchartId));
  } catch {
    /* best effort */
  }
}

/** The local draft worth offering on open: one whose document differs from the saved one. */
export function draftToOffer(store: DraftStorage, flowchartId: string, savedJson: string): LocalDraft | null {
  const d = readLocalDraft(store, flowchartId);
  return d && d.json !== savedJson ? d : null;
}
