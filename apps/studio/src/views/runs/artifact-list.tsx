/** Artifacts of a run or node run, each expandable to its JSON. */
import type { Artifact } from '../../api/types.ts';
import { formatTime } from '../../core/format.ts';
import { Empty, JsonView } from '../../ui/common.tsx';

/** Artifact list. */
export function ArtifactList({ artifacts }: { artifacts: Artifact[] }) {
  if (artifacts.length === 0) return <Empty>No artifacts.</Empty>;
  return (
    <ul className="artifact-list" data-testid="artifact-list">
      {artifacts.map((a) => (
        <li key={a.id} data-testid={`artifact-${a.id}`}>
          <details>
            <summary>
              <b>{a.name}</b> <span className="muted">{a.kind}</span>
              <span className="muted"> v{a.version}</span>
              <span className="muted small"> {formatTime(a.created_at)}</span>
              <a className="small" href={`/api/artifacts/${encodeURIComponent(a.id)}`} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()}>
                {' '}
                raw
              </a>
            </summary>
            <JsonView value={a} />
          </details>
        </li>
      ))}
    </ul>
  );
}
