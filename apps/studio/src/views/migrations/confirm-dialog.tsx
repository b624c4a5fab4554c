/** An in-page confirmation dialog (apply, roll back, cutover switch): nothing happens until the user confirms. */
import type { ReactNode } from 'react';

/** Renders the dialog when `open`; `onConfirm` runs the action, `onCancel` closes it. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, onConfirm, onCancel }: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  if (!open) return null;
  return (
    <div className="modal-backdrop" data-testid="confirm-dialog" role="dialog" aria-modal="true" aria-label={title}>
      <div className="modal">
        <div className="modal-head">
          <strong>{title}</strong>
        </div>
        <div>{children}</div>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onCancel} data-testid="confirm-cancel">
            Cancel
          </button>
          <button type="button" className={`btn ${danger ? 'danger' : 'primary'}`} onClick={onConfirm} data-testid="confirm-ok">
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
