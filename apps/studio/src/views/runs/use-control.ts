/** `POST /api/runs/:id/control` as a mutation that refreshes the cached run. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ControlRequest, Run } from '@llmctl/contracts';
import { api, newIdempotencyKey } from '../../api/http.ts';

/** Response data of a control call. */
export interface ControlResponse {
  run: Run;
  superseded_node_run_ids?: string[];
  side_effects?: unknown[];
}

/** Mutation for run control actions of one run. */
export function useRunControl(runId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (req: ControlRequest) => (await api<ControlResponse>('POST', `/api/runs/${encodeURIComponent(runId)}/control`, req, { idempotencyKey: newIdempotencyKey() })).data,
    onSuccess: (data) => {
      if (data?.run) qc.setQueryData<Run>(['run', runId], (old) => (old ? { ...old, ...data.run, node_runs: data.run.node_runs ?? old.node_runs } : data.run));
      void qc.invalidateQueries({ queryKey: ['run', runId] });
    },
  });
}
