import { z } from 'zod';
import { LlmctlError } from '@llmctl/contracts';
import { PROVIDER_KINDS, parseScriptedResponses } from '@llmctl/providers';
import type { ModelInput } from '@llmctl/store';

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const fields = {
  name: z.string().trim().min(1).max(128).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters'),
  provider: z.enum(PROVIDER_KINDS as unknown as [string, ...string[]]),
  model: z.string().trim().min(1).max(256),
  base_url: z.string().trim().max(2048).refine(isHttpUrl, 'must be an http(s) URL').nullable(),
  settings: z.record(z.string(), z.unknown()),
  api_key: z.string().min(1).max(4096).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters').nullable(),
};

/** The `POST /api/models` body schema (also published in the OpenAPI document). */
export const createSchema = z.object({
  name: fields.name, provider: fields.provider, model: fields.model.optional(), base_url: fields.base_url.optional(), settings: fields.settings.optional(),
  /** The model's own API key: write-only (reads show `has_api_key` and `api_key_masked`); `null` removes it. */
  api_key: fields.api_key.optional(),
});
/** The `PUT /api/models/:id` body schema (fields present replace, absent keep). */
export const patchSchema = createSchema.partial();

type Issue = { path: string; message: string };

function fail(issues: Issue[]): never {
  throw new LlmctlError('validation_failed', issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), { errors: issues });
}

function zodIssues(err: z.ZodError): Issue[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Cross-field checks: a model id except for scripted models (default `scripted`), valid scripted responses. */
function finish(v: { name: string; provider: string; model?: string; base_url?: string | null; settings?: Record<string, unknown>; api_key?: string | null }): ModelInput {
  const issues: Issue[] = [];
  const model = v.model ?? (v.provider === 'scripted' ? 'scripted' : undefined);
  if (!model) issues.push({ path: 'model', message: 'required (the provider\'s model id, e.g. gpt-4o-mini)' });
  if (v.provider === 'scripted') {
    try {
      parseScriptedResponses(v.settings ?? {});
    } catch (err) {
      const e = err as LlmctlError;
      issues.push({ path: String(e.details?.path ?? 'settings.responses'), message: e.message });
    }
  }
  if (issues.length > 0) fail(issues);
  return { name: v.name, provider: v.provider, model: model!, base_url: v.base_url ?? null, settings: v.settings ?? {}, ...(v.api_key !== undefined ? { api_key: v.api_key } : {}) };
}

/** Validates a `POST /api/models` body. */
export function parseModelCreate(body: unknown): ModelInput {
  const r = createSchema.safeParse(body);
  if (!r.success) fail(zodIssues(r.error));
  return finish(r.data);
}

/** Validates a `PUT /api/models/:id` body (fields present replace, absent keep) merged over `current`. */
export function parseModelUpdate(body: unknown, current: ModelInput): ModelInput {
  const r = patchSchema.safeParse(body);
  if (!r.success) fail(zodIssues(r.error));
  // `current` never holds a key (reads do not return it): `api_key` comes from the body only (absent: keep).
  const merged = { ...current, api_key: undefined, ...Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) };
  return finish(merged as ModelInput);
}
