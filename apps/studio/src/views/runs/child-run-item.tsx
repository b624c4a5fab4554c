/** The child run of a `flowchart` node run, as the parent's log records it: a link to it and its final status. */
import { Link } from 'react-router';
import type { ChildRunRef } from '@llmctl/contracts';
import { formatTime, shortId } from '../../core/format.ts';
import { StatusBadge } from '../../ui/common.tsx';

/** `<dt>`/`<dd>` entries for a node run's child run (inside the overview's `<dl>`). */
export function ChildRunItem({ child }: { child: ChildRunRef }) {
  return (
    <>
      <dt>child run</dt>
      <dd data-testid="node-run-child" data-child-run-id={child.id} data-status={child.status}>
        <Link to={`/runs/${encodeURIComponent(child.id)}`} title={child.id}>
          {shortId(child.id, 12)}
        </Link>{' '}
        <StatusBadge status={child.status === 'started' ? 'running' : child.status} testid="node-run-child-status" />
        {child.finished_at && <span className="muted"> {formatTime(child.finished_at)}</span>}
        {child.error && (
          <div className="err-text small" data-code={child.error.code}>
            {child.error.code}: {child.error.message}
          </div>
        )}
      </dd>
    </>
  );
}
