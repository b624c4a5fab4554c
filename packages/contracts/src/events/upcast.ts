/**
 * The upcaster: rewrites a logged event of an older format into the current one ({@link EVENT_FORMAT_VERSION}) before
 * it is folded or validated. One step per format, keyed by the version it reads; steps run in order (1 → 2 → …).
 * Steps are pure functions of one event (never of the log around it), so folding an upcast log rebuilds exactly the
 * state the older release folded.
 */
import { LlmctlError } from '../errors.ts';
import { EVENT_FORMAT_VERSION, eventFormatOf } from './format.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Format 1 → 2. Format 1 is every event logged without `v`. Its oldest logs predate the `held` / `filled` counters of
 * each join in `run.rewound.joins` (added with linear fan-in settling, commit 0dff223): they count the tokens held and
 * the connectors holding one, so they are recomputed from the queues. Without this step such a rewind folds to
 * `held: undefined`, the next token makes it `NaN`, and the join never fires. Every other v1 event is already v2-shaped.
 */
function v1ToV2(e: Rec): Rec {
  if (e.kind === 'run.rewound' && isRec(e.joins)) {
    const joins: Rec = {};
    for (const [node, j] of Object.entries(e.joins)) {
      if (!isRec(j) || (typeof j.held === 'number' && typeof j.filled === 'number')) {
        joins[node] = j;
        continue;
      }
      const queues = isRec(j.queues) ? Object.values(j.queues).filter(Array.isArray) : [];
      joins[node] = { ...j, held: queues.reduce((n, q) => n + q.length, 0), filled: queues.filter((q) => q.length > 0).length };
    }
    return { ...e, joins, v: 2 };
  }
  return { ...e, v: 2 };
}

/** Upcast steps keyed by the format they read. */
const STEPS: Record<number, (e: Rec) => Rec> = { 1: v1ToV2 };

/**
 * The event in the current format. Events already current are returned as they are (no copy); an event of a newer
 * format than this release knows fails with `internal` (details `{ format, supported }`): a downgrade must not misread a
 * log.
 */
export function upcastRunEvent<E = Rec>(payload: unknown): E {
  let v = eventFormatOf(payload);
  if (v === EVENT_FORMAT_VERSION) return payload as E;
  if (!isRec(payload)) throw new LlmctlError('validation_failed', 'a logged run event must be an object', {});
  if (v > EVENT_FORMAT_VERSION) {
    throw new LlmctlError('internal', `run event format ${v} is newer than this release reads (${EVENT_FORMAT_VERSION}); upgrade llmctl`, { format: v, supported: EVENT_FORMAT_VERSION }, false);
  }
  let e: Rec = payload;
  while (v < EVENT_FORMAT_VERSION) {
    const step = STEPS[v];
    if (!step) throw new LlmctlError('internal', `no upcaster for run event format ${v}`, { format: v });
    e = step(e);
    v = eventFormatOf(e);
  }
  return e as E;
}
