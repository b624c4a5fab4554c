/** The editor's "never lose work" UI: offers of a local or server draft on open, and the leave-with-changes dialog. */
import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { formatTime } from '../../core/format.ts';
import type { LocalDraft } from '../../core/local-draft.ts';
import type { ServerDraft } from './use-drafts.ts';

/** Banner offering drafts found when the flowchart was opened. */
export function DraftOffers(props: {
  local: LocalDraft | null;
  server: ServerDraft | null;
  onRestoreLocal: () => void;
  onDiscardLocal: () => void;
  onOpenServer: () => void;
  onDiscardServer: () => void;
}) {
  const { local, server } = props;
  if (!local && !server) return null;
  return (
    <div className="draft-offers">
      {local && (
        <div className="draft-offer" data-testid="local-draft-offer">
          Unsaved changes from {formatTime(local.saved_at)} were kept in this browser (started from v{local.base_version}).
          <button className="btn small primary" onClick={props.onRestoreLocal} data-testid="restore-local-draft">Restore</button>
          <button className="btn small" onClick={props.onDiscardLocal} data-testid="discard-local-draft">Discard</button>
        </div>
      )}
      {server && (
        <div className="draft-offer" data-testid="server-draft-offer" data-errors={server.validation.errors.length}>
          A draft saved on the server {formatTime(server.updated_at)} ({server.validation.errors.length} error{server.validation.errors.length === 1 ? '' : 's'}; drafts never run).
          <button className="btn small primary" onClick={props.onOpenServer} data-testid="open-server-draft">Open draft</button>
          <button className="btn small" onClick={props.onDiscardServer} data-testid="discard-server-draft">Discard</button>
        </div>
      )}
    </div>
  );
}

/**
 * Asks before leaving the editor with unsaved changes: in-app navigation through a dialog of the studio's own (stay,
 * save a draft and leave, discard and leave), closing or reloading the tab through the browser's `beforeunload`.
 */
export function LeaveGuard(props: { dirty: boolean; dirtyNow: () => boolean; onSaveDraft: () => Promise<boolean>; onDiscard: () => void }) {
  const { dirty, dirtyNow, onSaveDraft, onDiscard } = props;
  const blocker = useBlocker(({ currentLocation, nextLocation }) => currentLocation.pathname !== nextLocation.pathname && dirtyNow());
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent): void => {
      e.preventDefault();
      // Older Chromium shows the prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);
  if (blocker.state !== 'blocked') return null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="leave-title" data-testid="leave-dialog">
        <div className="modal-head">
          <h3 id="leave-title">Leave with unsaved changes?</h3>
        </div>
        <p>This flowchart has changes that are not saved as a version. A draft keeps them (even with errors) without making them runnable.</p>
        <div className="modal-actions">
          <button className="btn" autoFocus onClick={() => blocker.reset()} data-testid="leave-stay">Stay</button>
          <button
            className="btn"
            onClick={() => {
              void onSaveDraft().then((ok) => (ok ? blocker.proceed() : blocker.reset()));
            }}
            data-testid="leave-save-draft"
          >
            Save draft and leave
          </button>
          <button
            className="btn danger"
            onClick={() => {
              onDiscard();
              blocker.proceed();
            }}
            data-testid="leave-discard"
          >
            Discard and leave
          </button>
        </div>
      </div>
    </div>
  );
}
