/** The node bar: every node type, drag onto the canvas or click to add at the centre. */
import type { NodeType } from '@llmctl/contracts';
import { NODE_KINDS } from '../../core/node-catalog.ts';

/** MIME type used for palette drags. */
export const PALETTE_MIME = 'application/x-llmctl-node';

/** Palette column. `onAdd` adds a node of a type at the viewport centre (click). */
export function Palette({ onAdd }: { onAdd: (type: NodeType) => void }) {
  return (
    <aside className="palette" data-testid="palette">
      <div className="panel-title">Nodes</div>
      {NODE_KINDS.map((k) => (
        <div
          key={k.type}
          className="palette-item"
          draggable
          role="button"
          tabIndex={0}
          title={`${k.description} — drag onto the canvas or click to add`}
          style={{ ['--accent' as string]: k.color }}
          data-testid={`palette-${k.type}`}
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, k.type);
            e.dataTransfer.setData('text/plain', k.type);
            e.dataTransfer.effectAllowed = 'move';
          }}
          onClick={() => onAdd(k.type)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') onAdd(k.type);
          }}
        >
          <span className="dot" />
          {k.label}
        </div>
      ))}
      <div className="palette-help muted">
        Drag from a node's right handle to another node to connect. Click a connector to select it; switch trigger ↔ context in the inspector.
        <br />
        Del: delete · Ctrl+Z/Y: undo/redo · Ctrl+C/V: copy/paste · Ctrl+S: save
      </div>
    </aside>
  );
}
