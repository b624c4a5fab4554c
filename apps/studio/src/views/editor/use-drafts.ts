/**
 * Never lose work: the editor's document is autosaved locally (localStorage, per flowchart id) while it differs from
 * the saved version, and a server-side draft (`PUT /api/flowcharts/:id/draft`, possibly invalid, never run) can be
 * kept. Both are offered back when the flowchart is opened again; saving a version clears them.
 */
import { useCallback, useEffect, useState } from 'react';
import type { FlowchartDraftView } from '@llmctl/contracts';
import { api } from '../../api/http.ts';
import { ApiError } from '../../core/api-envelope.ts';
import { clearLocalDraft, draftToOffer, writeLocalDraft, type LocalDraft } from '../../core/local-draft.ts';

/** A server-side draft as the API returns it (the contract's shape). */
export type ServerDraft = FlowchartDraftView;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Draft offers, autosave and the server-draft calls of one open flowchart. */
export function useDrafts(flowchartId: string, version: number, docJson: string, savedJson: string, dirty: boolean) {
  const path = `/api/flowcharts/${encodeURIComponent(flowchartId)}/draft`;
  const [localOffer, setLocalOffer] = useState<LocalDraft | null>(() => {
    const s = storage();
    return s ? draftToOffer(s, flowchartId, savedJson) : null;
  });
  const [serverOffer, setServerOffer] = useState<ServerDraft | null>(null);

  useEffect(() => {
    let live = true;
    api<ServerDraft>('GET', path).then(
      (r) => {
        if (live && JSON.stringify(r.data.document) !== savedJson) setServerOffer(r.data);
      },
      () => undefined, // 404: no draft
    );
    return () => {
      live = false;
    };
    // Offered once, when the flowchart is opened (savedJson of that moment).
  }, [path]);

  // Autosave while the work differs from the saved version (not while an older local draft is still on offer).
  useEffect(() => {
    const s = storage();
    if (!s || localOffer) return;
    if (dirty) writeLocalDraft(s, flowchartId, docJson, version);
    else clearLocalDraft(s, flowchartId);
  }, [docJson, dirty, localOffer, flowchartId, version]);

  const dismissLocal = useCallback(() => setLocalOffer(null), []);
  const discardLocal = useCallback(() => {
    const s = storage();
    if (s) clearLocalDraft(s, flowchartId);
    setLocalOffer(null);
  }, [flowchartId]);
  const saveServerDraft = useCallback(async (doc: unknown): Promise<ServerDraft> => (await api<ServerDraft>('PUT', path, doc)).data, [path]);
  const discardServer = useCallback(async (): Promise<void> => {
    setServerOffer(null);
    await api('DELETE', path).catch((e: unknown) => {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    });
  }, [path]);
  const dismissServer = useCallback(() => setServerOffer(null), []);
  /** After a version was saved: both drafts are obsolete. */
  const clearAll = useCallback(async (): Promise<void> => {
    discardLocal();
    await discardServer().catch(() => undefined);
  }, [discardLocal, discardServer]);

  return { localOffer, serverOffer, dismissLocal, discardLocal, saveServerDraft, discardServer, dismissServer, clearAll };
}
