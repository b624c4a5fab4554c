/** Path helpers of the runtime settings form: read/write a dotted path, and the server's 400 errors per field. */
import { ApiError } from '../../core/api-envelope.ts';

/** A settings object. */
export type Json = Record<string, unknown>;

/** The value at a dotted path (`images.frontier.tag`). */
export function getPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[k];
  }
  return cur;
}

/** A copy of `o` with `v` at the dotted path (objects created on the way). */
export function setPath(o: Json, path: string, v: unknown): Json {
  const [k, ...rest] = path.split('.');
  if (k === undefined) return o;
  if (rest.length === 0) return { ...o, [k]: v };
  const child = o[k];
  return { ...o, [k]: setPath(child && typeof child === 'object' && !Array.isArray(child) ? (child as Json) : {}, rest.join('.'), v) };
}

/** One field error of a `validation_failed` answer. */
export interface FieldError {
  path: string;
  message: string;
}

/** The `details.errors[]` of a `validation_failed` ApiError (empty for any other error). */
export function fieldErrorsOf(e: unknown): FieldError[] {
  if (!(e instanceof ApiError) || e.code !== 'validation_failed') return [];
  const list = e.details.errors;
  return Array.isArray(list) ? list.filter((x): x is FieldError => !!x && typeof (x as FieldError).path === 'string' && typeof (x as FieldError).message === 'string') : [];
}

/** The errors that belong to a field at `path` (its own, or of a key below it, e.g. `images.vllm_cpu.tag`). */
export function errorsAt(errors: FieldError[], path: string): string | null {
  const mine = errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`));
  return mine.length ? mine.map((e) => (e.path === path ? e.message : `${e.path.slice(path.length + 1)}: ${e.message}`)).join('; ') : null;
}

/** What each backend does, in one sentence. */
export const BACKEND_HELP: Record<string, string> = {
  inline: 'Node attempts run inside the server process that owns the run: nothing else to set up.',
  queue: 'Node attempts are queued in PostgreSQL and run by any `llmctl worker` that reaches the database.',
  kubernetes: 'Every node attempt runs as its own Kubernetes Job on the executor image of its class.',
};

/** The settings blocks and the backends that use them (others are hidden unless "show all" is on). */
export const BLOCK_USED_BY: Record<string, string[] | 'all'> = {
  queue: ['queue'],
  images: ['kubernetes'],
  kubernetes: ['kubernetes'],
  timeouts: 'all',
  guardrails: 'all',
  retention: 'all',
};
