/** Model registry vocabulary and the model form's client-side checks. */
import { parseJsonObject } from './json-text.ts';

/** Providers the registry knows, in tab order. */
export const PROVIDERS = ['openai', 'anthropic', 'gemini', 'vertex', 'vllm', 'openai_compatible', 'scripted'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Provider display names. */
export const PROVIDER_LABELS: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Gemini',
  vertex: 'Vertex AI',
  vllm: 'vLLM',
  openai_compatible: 'OpenAI-compatible',
  scripted: 'scripted (offline)',
};

/** Values of the model form (settings as JSON text). */
export interface ModelFormValues {
  name: string;
  provider: string;
  model: string;
  base_url: string;
  settingsText: string;
}

/** Client-side checks of a model form; returns field → message. */
export function validateModelForm(v: ModelFormValues): Partial<Record<keyof ModelFormValues, string>> {
  const errs: Partial<Record<keyof ModelFormValues, string>> = {};
  if (!v.name.trim()) errs.name = 'required';
  else if (v.name.length > 128) errs.name = 'at most 128 characters';
  if (!PROVIDERS.includes(v.provider as (typeof PROVIDERS)[number])) errs.provider = 'choose a provider';
  if (!v.model.trim() && v.provider !== 'scripted') errs.model = 'required';
  if ((v.provider === 'vllm' || v.provider === 'openai_compatible') && !v.base_url.trim()) errs.base_url = 'required for this provider';
  if (v.base_url.trim()) {
    try {
      const u = new URL(v.base_url.trim());
      if (u.protocol !== 'http:' && u.protocol !== 'https:') errs.base_url = 'must be an http(s) URL';
    } catch {
      errs.base_url = 'not a valid URL';
    }
  }
  const s = parseJsonObject(v.settingsText);
  if (!s.ok) errs.settingsText = s.error;
  else if (v.provider === 'scripted' && !Array.isArray(s.value?.responses)) errs.settingsText = 'scripted models need settings.responses (an array)';
  return errs;
}

/**
 * The `POST /api/models` / `PUT /api/models/:id` body of a form: optional fields left empty are omitted (an empty
 * model id of a scripted model gets the server's default), never sent as `""`; an emptied base URL of an existing
 * model is `null` (removes it).
 */
export function modelRequestBody(v: ModelFormValues, existing: boolean): Record<string, unknown> {
  const settings = parseJsonObject(v.settingsText);
  const body: Record<string, unknown> = { name: v.name.trim(), provider: v.provider, settings: (settings.ok && settings.value) || {} };
  const model = v.model.trim();
  if (model) body.model = model;
  const baseUrl = v.base_url.trim();
  if (baseUrl) body.base_url = baseUrl;
  else if (existing) body.base_url = null;
  return body;
}
