/** `/flowcharts/:id`: the flowchart editor (palette, canvas, problems, inspector, toolbar). */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useQueryClient } from '@tanstack/react-query';
import type { FlowchartDocument, NodeType, ValidationIssue } from '@llmctl/contracts';
import { api, newIdempotencyKey } from '../../api/http.ts';
import { useFlowchart, useFlowchartVersions } from '../../api/queries.ts';
import type { Flowchart } from '../../api/types.ts';
import { ApiError } from '../../core/api-envelope.ts';
import { documentToGraph, graphToDocument } from '../../core/document-graph.ts';
import { editorReducer, initEditor, type EditorAction } from '../../core/editor-state.ts';
import { canRedo, canUndo } from '../../core/history.ts';
import { copySelection, parseClipboard, serializeClipboard, type Clipboard } from '../../core/clipboard.ts';
import { indexIssues } from '../../core/validation-issues.ts';
import { ErrorBox, Loading } from '../../ui/common.tsx';
import { EditorContext } from './editor-context.ts';
import { EditorCanvas } from './editor-canvas.tsx';
import { Palette } from './palette.tsx';
import { Inspector } from './inspector.tsx';
import { ProblemsPanel } from './problems.tsx';
import { RunDialog } from './run-dialog.tsx';
import { useValidation } from './use-validation.ts';
import { useDrafts } from './use-drafts.ts';
import { readableFit } from './readable-fit.ts';
import { downloadText, flowchartFileName, flowchartFileText, parseFlowchartFile } from '../../core/flowchart-file.ts';
import { DraftOffers, LeaveGuard } from './draft-offers.tsx';

let memoryClipboard: Clipboard | null = null;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/** Route component: loads the flowchart, then mounts the editor for it. */
export function FlowchartEditorPage() {
  const { id = '' } = useParams();
  const q = useFlowchart(id);
  if (q.isLoading) return <Loading label="Loading flowchart…" />;
  if (q.isError) return <div className="page-pad"><ErrorBox error={q.error} onRetry={() => void q.refetch()} /><Link to="/flowcharts">← Flowcharts</Link></div>;
  if (!q.data) return null;
  return (
    <ReactFlowProvider>
      <Editor key={id} flowchart={q.data} />
    </ReactFlowProvider>
  );
}

function Editor({ flowchart }: { flowchart: Flowchart }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const rf = useReactFlow();
  const [sp, setSp] = useSearchParams();
  const [state, rawDispatch] = useReducer(editorReducer, flowchart, (f) => {
    // Deep link: ?node=<id> or ?edge=<id> selects it.
    const s = initEditor(documentToGraph(f.document));
    const n = sp.get('node');
    const e = sp.get('edge');
    if (n && s.history.present.nodes.some((x) => x.id === n)) return { ...s, selectedNodes: [n] };
    if (e && s.history.present.edges.some((x) => x.id === e)) return { ...s, selectedEdges: [e] };
    return s;
  });
  const [revision, setRevision] = useState(0);
  const [version, setVersion] = useState(flowchart.version);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [showRun, setShowRun] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const versions = useFlowchartVersions(flowchart.id);

  const dispatch = useCallback((a: EditorAction) => {
    rawDispatch(a);
    if (a.type === 'undo' || a.type === 'redo' || a.type === 'load' || a.type === 'restore') setRevision((r) => r + 1);
  }, []);

  const graph = state.history.present;
  const selKey = `${state.selectedNodes.join(',')}|${state.selectedEdges.join(',')}`;
  useEffect(() => {
    const node = state.selectedNodes.length === 1 && state.selectedEdges.length === 0 ? state.selectedNodes[0]! : null;
    const edge = state.selectedEdges.length === 1 && state.selectedNodes.length === 0 ? state.selectedEdges[0]! : null;
    setSp(
      (prev) => {
        if (prev.get('node') === node && prev.get('edge') === edge) return prev;
        const next = new URLSearchParams(prev);
        if (node) next.set('node', node);
        else next.delete('node');
        if (edge) next.set('edge', edge);
        else next.delete('edge');
        return next;
      },
      { replace: true },
    );
  }, [selKey]);
  // While nodes are dragged the document, and all that hangs on it (validation, problems, autosave, dirty), stays at the
  // graph before the drag and catches up on the drop: serialising a 5,000-node flowchart on every drag frame cost about
  // 100 ms of CPU a frame (the drag itself only moves positions).
  const [settled, setSettled] = useState(graph);
  if (!state.dragging && settled !== graph) setSettled(graph);
  const docGraph = state.dragging ? settled : graph;
  const doc = useMemo(() => graphToDocument(docGraph), [docGraph]);
  const docJson = useMemo(() => JSON.stringify(doc), [doc]);
  // Same as isDirty(state) without serialising the document a second time on every render (O(nodes)).
  const dirty = docJson !== state.savedJson;
  const validation = useValidation(doc, docJson);
  const issues = useMemo(() => indexIssues(validation.result, validation.doc ?? doc), [validation.result, validation.doc, doc]);
  const errorCount = validation.result?.errors.length ?? 0;
  const drafts = useDrafts(flowchart.id, version, docJson, state.savedJson, dirty);
  // The document JSON of the last successful save, known before React re-renders (a save followed at once by a
  // navigation, e.g. "save and run", must not be stopped by the leave guard).
  const justSaved = useRef<string | null>(null);
  const leaveRef = useRef({ dirty, docJson });
  leaveRef.current = { dirty, docJson };
  const dirtyNow = useCallback(() => leaveRef.current.dirty && leaveRef.current.docJson !== justSaved.current, []);

  const save = useCallback(async (): Promise<number | null> => {
    setSaving(true);
    setSaveError(null);
    try {
      const r = await api<Flowchart>('PUT', `/api/flowcharts/${encodeURIComponent(flowchart.id)}`, doc, { idempotencyKey: newIdempotencyKey() });
      justSaved.current = docJson;
      rawDispatch({ type: 'saved' });
      setVersion(r.data.version);
      qc.setQueryData(['flowchart', flowchart.id, 'latest'], r.data);
      void qc.invalidateQueries({ queryKey: ['flowchart-versions', flowchart.id] });
      void qc.invalidateQueries({ queryKey: ['flowcharts'] });
      // Drafts are obsolete once a version is saved (the notice follows their removal).
      await drafts.clearAll();
      setNotice(`Saved version ${r.data.version}`);
      return r.data.version;
    } catch (e) {
      setSaveError(e);
      if (e instanceof ApiError && e.code === 'flowchart_invalid') {
        const d = e.details as { errors?: ValidationIssue[]; warnings?: ValidationIssue[] };
        validation.override({ valid: false, errors: d.errors ?? [], warnings: d.warnings ?? [] }, doc);
      }
      return null;
    } finally {
      setSaving(false);
    }
  }, [doc, docJson, flowchart.id, qc, validation, drafts]);

  /** Keeps the work as the server-side draft (errors allowed, never runnable); resolves whether it was stored. */
  const saveDraft = useCallback(async (): Promise<boolean> => {
    setSaveError(null);
    try {
      const d = await drafts.saveServerDraft(doc);
      drafts.discardLocal();
      const n = d.validation.errors.length;
      setNotice(`Draft saved${n ? ` with ${n} error${n > 1 ? 's' : ''}` : ''} — not a version, never runs`);
      return true;
    } catch (e) {
      setSaveError(e);
      return false;
    }
  }, [doc, drafts]);

  const openDocument = useCallback(
    (json: unknown, label: string): void => {
      try {
        dispatch({ type: 'restore', graph: documentToGraph(json as FlowchartDocument) });
        setNotice(`${label} restored (unsaved)`);
      } catch (e) {
        setSaveError(e);
      }
    },
    [dispatch],
  );

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 3000);
    return () => clearTimeout(t);
  }, [notice]);

  // A node added from the palette lands next to the selected node (else in the middle of the view), and the view pans
  // to it when that spot is outside.
  const addFromPalette = useCallback(
    (type: NodeType) => {
      const el = document.querySelector('[data-testid="canvas"]');
      const rect = el?.getBoundingClientRect();
      const sel = state.selectedNodes.length > 0 ? graph.nodes.find((n) => n.id === state.selectedNodes[state.selectedNodes.length - 1]) : undefined;
      const center = rect ? rf.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
      const p = sel ? { x: sel.position.x + (sel.measured?.width ?? 180) + 60, y: sel.position.y } : { x: Math.round(center.x - 90), y: Math.round(center.y - 32) };
      dispatch({ type: 'addNode', nodeType: type, position: { x: Math.round(p.x), y: Math.round(p.y) }, avoidOverlap: true });
      if (rect) {
        const tl = rf.flowToScreenPosition({ x: p.x, y: p.y });
        const br = rf.flowToScreenPosition({ x: p.x + 180, y: p.y + 64 });
        const inside = tl.x >= rect.left && tl.y >= rect.top && br.x <= rect.right && br.y <= rect.bottom;
        if (!inside) void rf.setCenter(p.x + 90, p.y + 32, { zoom: rf.getZoom() });
      }
    },
    [rf, dispatch, state.selectedNodes, graph.nodes],
  );

  const copy = useCallback(() => {
    const clip = copySelection(graph, state.selectedNodes);
    if (!clip) return;
    memoryClipboard = clip;
    void navigator.clipboard?.writeText(serializeClipboard(clip)).catch(() => undefined);
    setNotice(`Copied ${clip.nodes.length} node(s)`);
  }, [graph, state.selectedNodes]);

  const paste = useCallback(async () => {
    let clip = memoryClipboard;
    try {
      const text = await navigator.clipboard?.readText();
      const fromSystem = text ? parseClipboard(text) : null;
      if (fromSystem) clip = fromSystem;
    } catch {
      /* clipboard permission denied: use the in-memory copy */
    }
    if (clip) dispatch({ type: 'paste', clip, offset: { x: 40, y: 40 } });
  }, [dispatch]);

  const stateRef = useRef({ save, copy, paste, dirty });
  stateRef.current = { save, copy, paste, dirty };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (mod && k === 's') {
        e.preventDefault();
        void stateRef.current.save();
        return;
      }
      if (isTyping(e.target)) return;
      if (mod && k === 'z' && !e.shiftKey) {
        e.preventDefault();
        dispatch({ type: 'undo' });
      } else if (mod && (k === 'y' || (k === 'z' && e.shiftKey))) {
        e.preventDefault();
        dispatch({ type: 'redo' });
      } else if (mod && k === 'c') {
        stateRef.current.copy();
      } else if (mod && k === 'v') {
        e.preventDefault();
        void stateRef.current.paste();
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        dispatch({ type: 'deleteSelection' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch]);

  const loadVersion = async (v: number): Promise<void> => {
    if (dirty && !window.confirm('Discard unsaved changes and load version ' + v + '?')) return;
    try {
      const r = await api<Flowchart>('GET', `/api/flowcharts/${encodeURIComponent(flowchart.id)}?version=${v}`);
      dispatch({ type: 'load', graph: documentToGraph(r.data.document as FlowchartDocument) });
      setNotice(`Loaded version ${v} (save to make it the latest)`);
    } catch (e) {
      setSaveError(e);
    }
  };

  const ctx = useMemo(() => ({ graph, dispatch, issues, flowchartId: flowchart.id }), [graph, dispatch, issues, flowchart.id]);
  const versionList = versions.data ?? [];

  return (
    <EditorContext.Provider value={ctx}>
      <div className="editor" data-testid="flowchart-editor">
        <header className="toolbar">
          <button className="btn small" onClick={() => navigate('/flowcharts')} title="Back to flowcharts">
            ←
          </button>
          <span className="toolbar-title" data-testid="flowchart-name">
            {graph.meta.name || flowchart.name}
          </span>
          <span className="badge" data-testid="flowchart-version" data-version={version}>
            v{version}
          </span>
          {versionList.length > 1 && (
            <select className="small" value="" onChange={(e) => e.target.value && void loadVersion(Number(e.target.value))} title="Load another version" data-testid="version-select">
              <option value="">history…</option>
              {versionList.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                  {v.created_at ? ` — ${new Date(v.created_at).toLocaleString()}` : ''}
                </option>
              ))}
            </select>
          )}
          {dirty && (
            <span className="dirty" data-testid="dirty-indicator">
              ● unsaved
            </span>
          )}
          <span className="toolbar-sep" />
          <button className="btn small" disabled={!canUndo(state.history)} onClick={() => dispatch({ type: 'undo' })} data-testid="undo-button" title="Undo (Ctrl+Z)">
            ↶ Undo
          </button>
          <button className="btn small" disabled={!canRedo(state.history)} onClick={() => dispatch({ type: 'redo' })} data-testid="redo-button" title="Redo (Ctrl+Y)">
            ↷ Redo
          </button>
          <button className="btn small" disabled={state.selectedNodes.length === 0} onClick={copy} data-testid="copy-button" title="Copy (Ctrl+C)">
            Copy
          </button>
          <button className="btn small" onClick={() => void paste()} data-testid="paste-button" title="Paste (Ctrl+V)">
            Paste
          </button>
          <button
            className="btn small"
            onClick={() => {
              dispatch({ type: 'layout' });
              // After the new positions are rendered.
              requestAnimationFrame(() => requestAnimationFrame(() => readableFit(rf, document.querySelector('[data-testid="canvas"]'))));
            }}
            data-testid="layout-button"
            title="Auto-layout"
          >
            ⇶ Layout
          </button>
          <button className="btn small" onClick={() => downloadText(flowchartFileName(graph.meta.name || flowchart.name), flowchartFileText(doc))} data-testid="export-button" title="Download this document (unsaved changes included) as a .json file">
            Export
          </button>
          <label className="btn small" title="Replace the canvas with a flowchart file (unsaved until you save; undo brings the previous one back)">
            Import…
            <input
              type="file"
              accept=".json,application/json"
              className="hidden"
              data-testid="import-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                void file.text().then((text) => {
                  const parsed = parseFlowchartFile(text);
                  if (parsed.ok) openDocument(parsed.document, `Imported ${file.name}`);
                  else setSaveError(new Error(parsed.error));
                });
              }}
            />
          </label>
          <span className="toolbar-sep" />
          <span className={`validation-status ${validation.validating ? 'pending' : errorCount ? 'invalid' : validation.result ? 'valid' : 'pending'}`} data-testid="validation-status" data-valid={validation.result ? String(errorCount === 0) : undefined}>
            {validation.validating ? 'validating…' : validation.result ? (errorCount ? `${errorCount} error${errorCount > 1 ? 's' : ''}` : '✓ valid') : '—'}
          </span>
          {notice && (
            <span className="notice" data-testid="editor-notice">
              {notice}
            </span>
          )}
          <button className="btn primary small" disabled={saving || !dirty} onClick={() => void save()} data-testid="save-button" title="Save a new version (Ctrl+S)">
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button className="btn small" disabled={saving || !dirty} onClick={() => void saveDraft()} data-testid="save-draft-button" title="Keep the work as a draft on the server (errors allowed; drafts never run)">
            Save draft
          </button>
          <button className="btn small run" onClick={() => setShowRun(true)} data-testid="run-button" title="Start a run">
            ▶ Run
          </button>
          <Link className="btn small" to={`/runs?flowchart_id=${encodeURIComponent(flowchart.id)}`}>
            Runs
          </Link>
        </header>
        {saveError ? (
          <div className="editor-error">
            <ErrorBox error={saveError} compact onDismiss={() => setSaveError(null)} />
          </div>
        ) : null}
        <DraftOffers
          local={drafts.localOffer}
          server={drafts.serverOffer}
          onRestoreLocal={() => {
            if (drafts.localOffer) openDocument(JSON.parse(drafts.localOffer.json), 'Local draft');
            drafts.dismissLocal();
          }}
          onDiscardLocal={drafts.discardLocal}
          onOpenServer={() => {
            if (drafts.serverOffer) openDocument(drafts.serverOffer.document, 'Server draft');
            drafts.dismissServer();
          }}
          onDiscardServer={() => void drafts.discardServer().catch(setSaveError)}
        />
        <LeaveGuard dirty={dirty} dirtyNow={dirtyNow} onSaveDraft={saveDraft} onDiscard={drafts.discardLocal} />
        <div className="editor-body">
          <Palette onAdd={addFromPalette} />
          <div className="editor-center">
            <EditorCanvas selectedNodes={state.selectedNodes} selectedEdges={state.selectedEdges} />
            <ProblemsPanel validating={validation.validating} checkedOnce={validation.result !== null} error={validation.error} />
          </div>
          <Inspector selectedNodes={state.selectedNodes} selectedEdges={state.selectedEdges} revision={revision} />
        </div>
        {showRun && <RunDialog flowchartId={flowchart.id} version={version} dirty={dirty} onClose={() => setShowRun(false)} onSave={save} />}
      </div>
    </EditorContext.Provider>
  );
}
