/** React Query hooks over the REST API. Query keys: [resource, ...params]. */
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Run } from '@llmctl/contracts';
import { queryString, type PageInfo } from '../core/api-envelope.ts';
import { api, apiGet } from './http.ts';
import type { Artifact, Flowchart, FlowchartVersion, Model, ProviderCredentials, StateRecord } from './types.ts';

/** A page of a list endpoint. */
export interface Paged<T> {
  items: T[];
  page: PageInfo;
}

type Params = Record<string, string | number | undefined>;

async function getList<T>(path: string, params: Params, signal?: AbortSignal): Promise<Paged<T>> {
  const r = await api<T[] | { items: T[] }>('GET', `${path}${queryString(params)}`, undefined, signal ? { signal } : {});
  const items = Array.isArray(r.data) ? r.data : Array.isArray((r.data as { items?: T[] })?.items) ? (r.data as { items: T[] }).items : [];
  return { items, page: r.page ?? { page: 1, per_page: items.length, total: items.length } };
}

/** `GET /api/flowcharts`. */
export function useFlowchartList(params: Params): UseQueryResult<Paged<Flowchart>> {
  return useQuery({ queryKey: ['flowcharts', params], queryFn: ({ signal }) => getList<Flowchart>('/api/flowcharts', params, signal), placeholderData: keepPreviousData });
}

/** The query of one flowchart (latest, or `?version=`), shared by {@link useFlowchart} and the route's prefetch. */
export function flowchartQuery(id: string, version?: number) {
  return {
    queryKey: ['flowchart', id, version ?? 'latest'],
    queryFn: ({ signal }: { signal: AbortSignal }) => apiGet<Flowchart>(`/api/flowcharts/${encodeURIComponent(id)}${queryString({ version })}`, signal),
    staleTime: version !== undefined ? Infinity : 0,
  };
}

/**
 * A page mounting this soon after the flowchart arrived does not fetch it again (the editor route prefetches it); the
 * same freshness as every other query of the studio (`staleTime` in main.tsx).
 */
const JUST_FETCHED_MS = 5000;

/**
 * `GET /api/flowcharts/:id` (latest, or `?version=`). The latest version is refetched when a page mounts, unless the
 * route's prefetch answered within the last 5 s (on a cold open the editor's chunk arrives right after it: the
 * second request fetched the same 190 kB of a 1,000-node flowchart again).
 */
export function useFlowchart(id: string | undefined, version?: number): UseQueryResult<Flowchart> {
  return useQuery({
    ...flowchartQuery(id ?? '', version),
    enabled: !!id,
    refetchOnMount: (q) => q.state.dataUpdatedAt === 0 || Date.now() - q.state.dataUpdatedAt > JUST_FETCHED_MS,
  });
}

/** `GET /api/flowcharts/:id/versions`. */
export function useFlowchartVersions(id: string | undefined): UseQueryResult<FlowchartVersion[]> {
  return useQuery({
    queryKey: ['flowchart-versions', id],
    queryFn: ({ signal }) => apiGet<FlowchartVersion[]>(`/api/flowcharts/${encodeURIComponent(id!)}/versions`, signal),
    enabled: !!id,
  });
}

/** `GET /api/models`. */
export function useModels(params: Params): UseQueryResult<Paged<Model>> {
  return useQuery({ queryKey: ['models', params], queryFn: ({ signal }) => getList<Model>('/api/models', params, signal), placeholderData: keepPreviousData });
}

/** Every model (first 100 by name) for pickers. */
export function useAllModels(): UseQueryResult<Paged<Model>> {
  return useModels({ per_page: 100, sort: 'name', order: 'asc' });
}

/** `GET /api/models/:id`. */
export function useModel(id: string | undefined): UseQueryResult<Model> {
  return useQuery({ queryKey: ['model', id], queryFn: ({ signal }) => apiGet<Model>(`/api/models/${encodeURIComponent(id!)}`, signal), enabled: !!id });
}

/** `GET /api/runs`. */
export function useRuns(params: Params): UseQueryResult<Paged<Run>> {
  return useQuery({ queryKey: ['runs', params], queryFn: ({ signal }) => getList<Run>('/api/runs', params, signal), placeholderData: keepPreviousData });
}

/** `GET /api/runs/:id` (kept fresh by realtime events, never polled). */
export function useRun(id: string | undefined): UseQueryResult<Run> {
  return useQuery({ queryKey: ['run', id], queryFn: ({ signal }) => apiGet<Run>(`/api/runs/${encodeURIComponent(id!)}`, signal), enabled: !!id });
}

/** `GET /api/runs/:id/artifacts`. */
export function useArtifacts(runId: string | undefined): UseQueryResult<Artifact[]> {
  return useQuery({
    queryKey: ['artifacts', runId],
    queryFn: async ({ signal }) => (await getList<Artifact>(`/api/runs/${encodeURIComponent(runId!)}/artifacts`, { per_page: 100 }, signal)).items,
    enabled: !!runId,
  });
}

/** `GET /api/providers` normalised to a list. */
export function useProviders(): UseQueryResult<ProviderCredentials[]> {
  return useQuery({
    queryKey: ['providers'],
    queryFn: async ({ signal }) => {
      const d = await apiGet<ProviderCredentials[] | Record<string, Omit<ProviderCredentials, 'provider'>>>('/api/providers', signal);
      if (Array.isArray(d)) return d;
      return Object.entries(d ?? {}).map(([provider, v]) => ({ ...v, provider }));
    },
  });
}

/** `GET /api/memories|plans|milestones`. */
export function useStateList(kind: 'memories' | 'plans' | 'milestones', params: Params): UseQueryResult<Paged<StateRecord>> {
  return useQuery({ queryKey: [kind, params], queryFn: ({ signal }) => getList<StateRecord>(`/api/${kind}`, params, signal), placeholderData: keepPreviousData });
}

/** `GET /api/settings/runtime`. */
export function useRuntimeSettings(): UseQueryResult<Record<string, unknown>> {
  return useQuery({ queryKey: ['settings', 'runtime'], queryFn: ({ signal }) => apiGet<Record<string, unknown>>('/api/settings/runtime', signal) });
}
