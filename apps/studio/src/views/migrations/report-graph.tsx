/** The translated graph of a migration report with its issues placed on nodes and edges (by id); read-only SVG. */
import type { FlowchartDocument } from '@llmctl/contracts';
import { layoutPositions } from '../../core/layout.ts';
import type { MigrationIssue } from './migrations-api.ts';

const W = 150;
const H = 44;

function severityOf(issues: MigrationIssue[]): 'error' | 'warning' | null {
  if (issues.some((i) => i.severity === 'error')) return 'error';
  return issues.length ? 'warning' : null;
}

const COLOR = { error: 'var(--err)', warning: 'var(--warn)' } as const;

/** Draws the document; a node or edge with issues gets the issue colour and a count badge. */
export function ReportGraph({ doc, issues, selected, onSelect }: { doc: FlowchartDocument; issues: MigrationIssue[]; selected: string | null; onSelect: (id: string | null) => void }) {
  const edges = doc.edges.map((e) => ({ source: e.source, target: e.target }));
  const start = doc.nodes.filter((n) => n.type === 'start').map((n) => n.id);
  const pos = layoutPositions(doc.nodes.map((n) => n.id), edges, { roots: start, nodeWidth: W, nodeHeight: H, gapX: 60, gapY: 24 });
  const xs = [...pos.values()];
  const minX = Math.min(0, ...xs.map((p) => p.x));
  const minY = Math.min(0, ...xs.map((p) => p.y));
  const maxX = Math.max(W, ...xs.map((p) => p.x + W));
  const maxY = Math.max(H, ...xs.map((p) => p.y + H));
  const at = (id: string) => pos.get(id) ?? { x: 0, y: 0 };
  return (
    <svg className="report-graph" data-testid="report-graph" viewBox={`${minX - 20} ${minY - 20} ${maxX - minX + 40} ${maxY - minY + 40}`} style={{ width: '100%', maxHeight: 420 }}>
      {doc.edges.map((e) => {
        const s = at(e.source);
        const t = at(e.target);
        const mine = issues.filter((i) => i.edge_id === e.id);
        const sev = severityOf(mine);
        const x1 = s.x + W, y1 = s.y + H / 2, x2 = t.x, y2 = t.y + H / 2;
        return (
          <g key={e.id} data-testid={`report-edge-${e.id}`} data-issues={mine.length} data-severity={sev ?? 'none'} onClick={() => onSelect(e.id)} style={{ cursor: 'pointer' }}>
            <path d={`M${x1},${y1} C${x1 + 30},${y1} ${x2 - 30},${y2} ${x2},${y2}`} fill="none" stroke={sev ? COLOR[sev] : 'var(--border-2)'} strokeWidth={selected === e.id ? 4 : sev ? 2.5 : 1.5} strokeDasharray={e.mode === 'context' ? '5 4' : undefined} />
            {(e.route_key ?? e.condition ?? (e.fallback ? 'fallback' : null)) && (
              <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 4} fontSize={10} textAnchor="middle" fill="var(--muted)">
                {(e.route_key ?? (e.fallback ? 'fallback' : e.condition ?? '')).slice(0, 24)}
              </text>
            )}
            {sev && <circle cx={(x1 + x2) / 2} cy={(y1 + y2) / 2 + 6} r={6} fill={COLOR[sev]} />}
          </g>
        );
      })}
      {doc.nodes.map((n) => {
        const p = at(n.id);
        const mine = issues.filter((i) => i.node_id === n.id);
        const sev = severityOf(mine);
        return (
          <g key={n.id} data-testid={`report-node-${n.id}`} data-issues={mine.length} data-severity={sev ?? 'none'} onClick={() => onSelect(n.id)} style={{ cursor: 'pointer' }}>
            <rect x={p.x} y={p.y} width={W} height={H} rx={6} fill="var(--panel-2)" stroke={sev ? COLOR[sev] : 'var(--border-2)'} strokeWidth={selected === n.id ? 3.5 : sev ? 2.5 : 1} />
            <text x={p.x + 8} y={p.y + 18} fontSize={12} fill="var(--text)">{(n.name ?? n.id).slice(0, 20)}</text>
            <text x={p.x + 8} y={p.y + 34} fontSize={10} fill="var(--muted)">{n.type}</text>
            {mine.length > 0 && (
              <g>
                <circle cx={p.x + W - 10} cy={p.y + 10} r={9} fill={COLOR[sev!]} />
                <text x={p.x + W - 10} y={p.y + 14} fontSize={11} textAnchor="middle" fill="#000">{mine.length}</text>
              </g>
            )}
          </g>
        );
      })}
    </svg>
  );
}
