/** Small helpers shared by the adapters: message lookups, tool-argument parsing, settings access. */
import { LlmctlError } from '@llmctl/contracts';
import type { ChatMessage } from './types.ts';

/** The content of the last `user` message ('' when there is none). */
export function lastUserMessage(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.role === 'user') return m.content;
  }
  return '';
}

/** The contents of every `system` message, joined by blank lines (undefined when there are none). */
export function systemText(messages: ChatMessage[], extra?: string): string | undefined {
  const parts = messages.filter((m) => m.role === 'system').map((m) => m.content);
  if (extra) parts.push(extra);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** Parses streamed tool-call arguments; '' is `{}`. Malformed JSON is the retryable `provider_invalid_response`. */
export function parseToolArguments(raw: string, toolName: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new LlmctlError('provider_invalid_response', `The arguments of tool call "${toolName}" are not valid JSON`, {
      tool: toolName,
      arguments: raw.length > 500 ? `${raw.slice(0, 500)}…` : raw,
      reason: err instanceof Error ? err.message : String(err),
    });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new LlmctlError('provider_invalid_response', `The arguments of tool call "${toolName}" are not a JSON object`, {
      tool: toolName,
    });
  }
  return value as Record<string, unknown>;
}

/** Reads a typed setting with a default. */
export function setting<T>(settings: Record<string, unknown> | null | undefined, key: string, fallback: T): T {
  const v = settings?.[key];
  return v === undefined || v === null ? fallback : (v as T);
}

/** `settings.headers` as a string record (non-string values dropped). */
export function extraHeaders(settings: Record<string, unknown> | null | undefined): Record<string, string> | undefined {
  const h = settings?.headers;
  if (!h || typeof h !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Rough token estimate (4 characters a token) for providers that report no usage. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
