/** Routes of the studio. Every view has a URL (filters, tabs and selections live in the query string). */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { flowchartQuery } from './api/queries.ts';
import { Shell } from './ui/shell.tsx';
import { Empty, Loading } from './ui/common.tsx';
import { FlowchartListPage } from './views/lists/flowchart-list.tsx';
import { RunsListPage } from './views/runs/runs-list.tsx';
import { ModelsListPage } from './views/models/models-list.tsx';
import { ModelFormPage } from './views/models/model-form.tsx';
import { ProvidersPage } from './views/models/providers.tsx';
import { StateListPage } from './views/lists/state-list.tsx';
import { RagPage } from './views/lists/rag-view.tsx';
import { SettingsPage } from './views/lists/settings-view.tsx';
import { MigrationsPage } from './views/migrations/migrations-page.tsx';
import { MigrationReportPage } from './views/migrations/report-view.tsx';
import { WorkersPage } from './views/workers/workers-page.tsx';

// The canvas views (React Flow, JSONata) load on demand, keeping list pages light.
const FlowchartEditorPage = lazy(() => import('./views/editor/flowchart-editor.tsx').then((m) => ({ default: m.FlowchartEditorPage })));
const RunViewPage = lazy(() => import('./views/runs/run-view.tsx').then((m) => ({ default: m.RunViewPage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** The editor route: the flowchart is requested while the editor's code loads, not after it has mounted. */
function EditorRoute() {
  const { id } = useParams();
  const qc = useQueryClient();
  useEffect(() => {
    if (id) void qc.prefetchQuery(flowchartQuery(id));
  }, [id, qc]);
  return <Lazy><FlowchartEditorPage /></Lazy>;
}

function NotFound() {
  return (
    <div className="page-pad" data-testid="not-found">
      <Empty>
        Nothing here. <Link to="/flowcharts">Go to flowcharts</Link>
      </Empty>
    </div>
  );
}

/** The route table. */
export function App() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Navigate to="/flowcharts" replace />} />
        <Route path="flowcharts" element={<FlowchartListPage />} />
        <Route path="flowcharts/:id" element={<EditorRoute />} />
        <Route path="runs" element={<RunsListPage />} />
        <Route path="runs/:id" element={<Lazy><RunViewPage /></Lazy>} />
        <Route path="models" element={<ModelsListPage />} />
        <Route path="models/new" element={<ModelFormPage />} />
        <Route path="models/:id" element={<ModelFormPage />} />
        <Route path="providers" element={<ProvidersPage />} />
        <Route path="memory" element={<StateListPage key="memories" kind="memories" />} />
        <Route path="plans" element={<StateListPage key="plans" kind="plans" />} />
        <Route path="milestones" element={<StateListPage key="milestones" kind="milestones" />} />
        <Route path="rag" element={<RagPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="workers" element={<WorkersPage />} />
        <Route path="migrations" element={<MigrationsPage />} />
        <Route path="migrations/:id" element={<MigrationReportPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
