import { foldRunEvent, joinViews, newRunFold } from '@llmctl/engine';

/**
 * What `llmctl runs show` prints about a run's joins, from the engine's shared projection of its log: each join that
 * holds tokens (per connector: how many, from which node) and every token a join discarded (and why).
 */
export function joinLines(runId: string, payloads: readonly unknown[]): string[] {
  const fold = newRunFold(runId);
  for (const p of payloads) foldRunEvent(fold, p);
  const lines: string[] = [];
  for (const j of Object.values(joinViews(fold))) {
    const held = Object.entries(j.queues).filter(([, q]) => q.length > 0);
    if (held.length > 0) {
      const what = held.map(([c, q]) => `${c} from ${q[0]!.source_node_id ?? 'the run input'} (${q.length})`).join(', ');
      lines.push(`join ${j.node_id}: holds ${j.held} token(s): ${what}`);
    }
    for (const d of j.discarded) {
      lines.push(`join ${j.node_id}: discarded ${d.connector_id} from ${d.source_node_id ?? d.source_node_run_id ?? '?'} (${d.reason === 'run_finished' ? 'left over when the run finished' : 'arrived after the join fired'})`);
    }
  }
  return lines;
}
