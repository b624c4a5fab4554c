import { LlmctlError } from '@llmctl/contracts';
import { isId } from '@llmctl/store';

/** Most rooms one socket may be in. */
export const MAX_ROOMS_PER_SOCKET = 200;

/** A validated `subscribe` / `unsubscribe` message. */
export interface RoomRequest {
  rooms: string[];
  runIds: string[];
  flowchartIds: string[];
  /** Replay the one run room's log after this sequence first (subscribe only). */
  afterSequence?: number;
}

function invalid(path: string, message: string): LlmctlError {
  return new LlmctlError('validation_failed', message, { errors: [{ path, message }] });
}

/**
 * Validates `{ rooms: ['run:<id>' | 'flowchart:<id>', …], after_sequence? }`: 1 to 200 rooms; `after_sequence` a
 * non-negative integer, allowed with exactly one `run:` room (api.md). Malformed ids are `not_found`.
 */
export function parseRoomRequest(raw: unknown, allowAfter: boolean): RoomRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('', 'send an object { rooms: [...], after_sequence? }');
  const body = raw as Record<string, unknown>;
  if (!Array.isArray(body.rooms) || body.rooms.length === 0 || body.rooms.length > MAX_ROOMS_PER_SOCKET) {
    throw invalid('rooms', `rooms must be an array of 1 to ${MAX_ROOMS_PER_SOCKET} room names such as "run:<id>" or "flowchart:<id>"`);
  }
  const rooms = [...new Set(body.rooms as unknown[])];
  const runIds: string[] = [];
  const flowchartIds: string[] = [];
  for (const [i, room] of rooms.entries()) {
    if (typeof room !== 'string') throw invalid(`rooms/${i}`, 'each room must be a string');
    const m = /^(run|flowchart):(.*)$/.exec(room);
    if (!m) throw invalid(`rooms/${i}`, `unknown room "${room.slice(0, 100)}": use "run:<id>" or "flowchart:<id>"`);
    const id = m[2]!;
    if (m[1] === 'run') {
      if (!isId('run', id as unknown)) throw new LlmctlError('not_found', `No run ${id.slice(0, 100)}.`, { room: room.slice(0, 140) });
      runIds.push(id);
    } else {
      if (!isId('fc', id as unknown)) throw new LlmctlError('not_found', `No flowchart ${id.slice(0, 100)}.`, { room: room.slice(0, 140) });
      flowchartIds.push(id);
    }
  }
  const after = body.after_sequence;
  if (after === undefined || after === null) return { rooms: rooms as string[], runIds, flowchartIds };
  if (!allowAfter) throw invalid('after_sequence', 'after_sequence is only allowed in subscribe');
  if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0) throw invalid('after_sequence', 'after_sequence must be a non-negative integer');
  if (runIds.length !== 1) throw invalid('after_sequence', 'after_sequence needs exactly one "run:<id>" room');
  return { rooms: rooms as string[], runIds, flowchartIds, afterSequence: after };
}
