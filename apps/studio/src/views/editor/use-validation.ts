/** Debounced validation of the document being edited (server validation today; see api/validator.ts). */
import { useEffect, useRef, useState } from 'react';
import type { FlowchartDocument, ValidationResult } from '@llmctl/contracts';
import { validateFlowchart } from '../../api/validator.ts';

/** State of the as-you-edit validation. */
export interface ValidationState {
  result: ValidationResult | null;
  /** The document the result belongs to (for resolving JSON-pointer paths). */
  doc: FlowchartDocument | null;
  validating: boolean;
  error: unknown;
}

/** Validates `doc` `delayMs` after its last change; stale answers are dropped. `override` injects a result (e.g. a 422 on save). */
export function useValidation(doc: FlowchartDocument, docJson: string, delayMs = 400): ValidationState & { override: (r: ValidationResult, d: FlowchartDocument) => void } {
  const [state, setState] = useState<ValidationState>({ result: null, doc: null, validating: false, error: null });
  const docRef = useRef(doc);
  docRef.current = doc;
  useEffect(() => {
    const ctrl = new AbortController();
    setState((s) => ({ ...s, validating: true }));
    const timer = setTimeout(() => {
      const d = docRef.current;
      validateFlowchart(d, ctrl.signal)
        .then((result) => {
          if (!ctrl.signal.aborted) setState({ result, doc: d, validating: false, error: null });
        })
        .catch((error: unknown) => {
          if (!ctrl.signal.aborted) setState((s) => ({ ...s, validating: false, error }));
        });
    }, delayMs);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [docJson, delayMs]);
  return { ...state, override: (result, d) => setState({ result, doc: d, validating: false, error: null }) };
}
