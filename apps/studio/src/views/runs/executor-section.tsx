/** The node panel's "Executor" section: where the node run and each of its attempts ran (executors.md "Dispatch contract"). */
import type { ExecutorInfo, NodeRun } from '@llmctl/contracts';
import { Section } from '../../ui/common.tsx';

const FIELDS = ['backend', 'class', 'worker_id', 'job_id', 'image', 'dispatch_state', 'degraded_reason'] as const;

function Cell({ info, k }: { info: ExecutorInfo; k: (typeof FIELDS)[number] }) {
  const v = info[k];
  if (v === null || v === undefined || v === '') return <span className="muted">—</span>;
  return <span className={k === 'degraded_reason' ? 'warn-text' : k === 'dispatch_state' && v === 'failed' ? 'err-text' : 'mono small'}>{v}</span>;
}

/** Renders nothing for a node run without executor data (older servers). */
export function ExecutorSection({ nr }: { nr: NodeRun }) {
  const attempts = (nr.attempts ?? []).filter((a) => a.executor);
  if (!nr.executor && attempts.length === 0) return null;
  return (
    <Section title="Executor">
      {nr.executor && (
        <dl className="kv" data-testid="node-run-executor" data-backend={nr.executor.backend} data-dispatch-state={nr.executor.dispatch_state}>
          {FIELDS.map((k) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{k.replace(/_/g, ' ')}</dt>
              <dd data-testid={`executor-${k}`}>
                <Cell info={nr.executor!} k={k} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {attempts.length > 0 && (
        <table className="table compact" data-testid="attempt-executors">
          <thead>
            <tr>
              <th>attempt</th>
              {FIELDS.map((k) => <th key={k}>{k.replace(/_/g, ' ')}</th>)}
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr key={a.n} data-testid={`attempt-executor-${a.n}`} data-backend={a.executor!.backend} data-dispatch-state={a.executor!.dispatch_state}>
                <td>#{a.n}</td>
                {FIELDS.map((k) => <td key={k}><Cell info={a.executor!} k={k} /></td>)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
