/** Studio entry point: query client, router, styles. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@xyflow/react/dist/style.css';
import './styles.css';
import './theme-light.css';
import { App } from './app.tsx';
import { ApiError } from './core/api-envelope.ts';
import { initTheme } from './ui/theme.ts';

// Before the first render, so the page never flashes the other theme.
initTheme();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Retry only transient failures; 4xx answers are shown at once.
      retry: (count, err) => count < 2 && (!(err instanceof ApiError) || err.retryable || err.status === 0 || err.status >= 500),
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
  },
});

// A data router, so the editor can block in-app navigation while it has unsaved changes (useBlocker).
const router = createBrowserRouter([{ path: '*', element: <App /> }]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
