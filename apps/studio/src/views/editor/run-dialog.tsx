/** Start-a-run dialog: JSON input form, then `POST /api/flowcharts/:id/runs` and navigate to the run. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import type { Run } from '@llmctl/contracts';
import { api, newIdempotencyKey } from '../../api/http.ts';
import { parseJsonText } from '../../core/json-text.ts';
import { ErrorBox } from '../../ui/common.tsx';

/** Props of {@link RunDialog}. */
export interface RunDialogProps {
  flowchartId: string;
  version: number;
  dirty: boolean;
  onClose: () => void;
  /** Saves first; resolves to the saved version, or null when saving failed. */
  onSave: () => Promise<number | null>;
}

const LAST_INPUT_KEY = (id: string): string => `llmctl.run-input.${id}`;

/** Modal to start a run. */
export function RunDialog({ flowchartId, version, dirty, onClose, onSave }: RunDialogProps) {
  const navigate = useNavigate();
  const [text, setText] = useState(() => {
    try {
      return localStorage.getItem(LAST_INPUT_KEY(flowchartId)) ?? '{\n  \n}';
    } catch {
      return '{\n  \n}';
    }
  });
  const parsed = parseJsonText(text, false);
  const start = useMutation({
    mutationFn: async (saveFirst: boolean) => {
      let v = version;
      if (saveFirst) {
        const saved = await onSave();
        if (saved === null) throw new Error('Saving failed; see the problems list.');
        v = saved;
      }
      const body = { input: parsed.ok ? parsed.value : {}, version: v };
      return (await api<Run>('POST', `/api/flowcharts/${encodeURIComponent(flowchartId)}/runs`, body, { idempotencyKey: newIdempotencyKey() })).data;
    },
    onSuccess: (run) => {
      try {
        localStorage.setItem(LAST_INPUT_KEY(flowchartId), text);
      } catch {
        /* storage unavailable */
      }
      void navigate(`/runs/${encodeURIComponent(run.id)}`);
    },
  });
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-label="Start a run" data-testid="run-dialog" onClick={(e) => e.stopPropagation()}>
        <div className="modal-head">
          <h2>Start a run</h2>
          <button className="btn small" onClick={onClose}>
            ✕
          </button>
        </div>
        <p className="muted small">
          Runs pin a saved version. {dirty ? <b className="warn-text">You have unsaved changes: run version {version}, or save and run the new version.</b> : `Version ${version}.`}
        </p>
        <label className="field">
          <span className="field-label">Input (JSON) — the output of the start node</span>
          <textarea className={`mono${parsed.ok ? '' : ' invalid'}`} rows={10} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} data-testid="run-input" />
          {!parsed.ok && (
            <span className="field-error" data-testid="run-input-error">
              {parsed.error}
            </span>
          )}
        </label>
        {start.isError && <ErrorBox error={start.error} />}
        <div className="modal-actions">
          {dirty && (
            <button className="btn" disabled={!parsed.ok || start.isPending} onClick={() => start.mutate(true)} data-testid="run-save-and-start">
              Save &amp; run
            </button>
          )}
          <button className="btn primary" disabled={!parsed.ok || start.isPending} onClick={() => start.mutate(false)} data-testid="run-start">
            {start.isPending ? 'Starting…' : `Run v${version}`}
          </button>
        </div>
      </div>
    </div>
  );
}
