/**
 * The model-call journal: what each model call of a node attempt sent and received, kept in the model-call rows
 * (bounded: very long texts are truncated with a marker and their full length kept), and the replay of journaled
 * tool-loop steps when an interrupted or retried attempt runs the agent loop again (runtime.md "Durability").
 */
import { hash } from 'node:crypto';
import type { JournalMessage, ModelCallRecord, ModelCallRequestJournal, ModelCallResponseJournal } from '../ports.ts';
import type { PortChatMessage, PortChatRequest, PortChatResponse, ResolvedModel } from '../model-port.ts';

/** Longest journaled text (characters); longer texts keep their head and a truncation marker. */
export const JOURNAL_TEXT_LIMIT = 16_000;
/** Most messages journaled per call: the first two and the newest ones are kept. */
export const JOURNAL_MESSAGE_LIMIT = 40;

/** `text` cut to `limit` characters with a marker naming the full length. */
export function boundText(text: string, limit = JOURNAL_TEXT_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n…[truncated: ${text.length} characters in total]`;
}

/** The journal key of tool-loop step `step` of a node run: `<node run key>:model:<step>`. */
export function modelCallKey(nodeRunKey: string, step: number): string {
  return `${nodeRunKey}:model:${step}`;
}

function journalMessage(m: PortChatMessage): JournalMessage {
  const content = boundText(m.content);
  // Optional fields assigned in order, not spread in (the same keys in the same order, built faster).
  const out: JournalMessage = { role: m.role, content };
  if (content.length !== m.content.length) out.content_length = m.content.length;
  if (m.tool_call_id) out.tool_call_id = m.tool_call_id;
  if (m.tool_calls && m.tool_calls.length > 0) out.tool_calls = m.tool_calls;
  return out;
}

/** sha256 of the full request: same messages, tools and schema ⇒ same digest. */
export function requestDigest(req: Pick<PortChatRequest, 'messages' | 'tools' | 'json_schema'>): string {
  return hash('sha256', JSON.stringify([req.messages, (req.tools ?? []).map((t) => t.name), req.json_schema ?? null]), 'hex');
}

/** Settings of the model fit to journal: the provider's non-secret settings minus the scripted provider's script. */
function modelSettings(model: ResolvedModel): Record<string, unknown> {
  const { responses: _script, headers: _headers, ...rest } = model.settings ?? {};
  return rest;
}

/** The request half of a journal entry (redacted with the model's redactor). */
export function journalRequest(model: ResolvedModel, req: PortChatRequest): ModelCallRequestJournal {
  const all = req.messages;
  const kept = all.length <= JOURNAL_MESSAGE_LIMIT ? all : [...all.slice(0, 2), ...all.slice(all.length - (JOURNAL_MESSAGE_LIMIT - 2))];
  const settings: Record<string, unknown> = { model: req.model };
  if (req.temperature !== undefined) settings.temperature = req.temperature;
  if (req.max_tokens !== undefined) settings.max_tokens = req.max_tokens;
  settings.response_format = req.json_schema ? { type: 'json_schema', schema: req.json_schema } : { type: 'text' };
  settings.stream = true;
  settings.provider_settings = modelSettings(model);
  const messages = kept.map(journalMessage);
  const out: ModelCallRequestJournal = kept.length < all.length
    ? { messages, omitted_messages: all.length - kept.length, settings, tools: (req.tools ?? []).map((t) => t.name), digest: requestDigest(req) }
    : { messages, settings, tools: (req.tools ?? []).map((t) => t.name), digest: requestDigest(req) };
  return model.redact ? model.redact(out) : out;
}

/** The response half of a journal entry (redacted with the model's redactor). */
export function journalResponse(model: ResolvedModel, res: PortChatResponse): ModelCallResponseJournal {
  const out: ModelCallResponseJournal = { text: boundText(res.text), text_length: res.text.length, tool_calls: res.tool_calls, finish_reason: res.finish_reason };
  if (res.raw_model) out.raw_model = res.raw_model;
  return model.redact ? model.redact(out) : out;
}

/** Cost as the provider reported it in its usage, else null. */
export function reportedCost(res: PortChatResponse): number | null {
  const c = (res.usage as unknown as Record<string, unknown>).cost;
  return typeof c === 'number' && Number.isFinite(c) ? c : null;
}

/**
 * The journaled response of a tool-loop step that may be replayed instead of calling the model: a succeeded call under
 * the step's key, for the very same request, that asked for tools, with its text and arguments journaled whole.
 */
export function replayable(journal: readonly ModelCallRecord[], key: string, digest: string): { record: ModelCallRecord; response: PortChatResponse } | null {
  for (let i = journal.length - 1; i >= 0; i--) {
    const r = journal[i]!;
    if (r.idempotency_key !== key || r.status !== 'succeeded' || !r.request || !r.response) continue;
    if (r.request.digest !== digest || r.response.tool_calls.length === 0 || r.response.text_length !== r.response.text.length) continue;
    const usage = (r.usage ?? {}) as { input_tokens?: number; output_tokens?: number };
    return {
      record: r,
      response: {
        text: r.response.text, tool_calls: r.response.tool_calls, finish_reason: r.response.finish_reason,
        usage: { input_tokens: usage.input_tokens ?? 0, output_tokens: usage.output_tokens ?? 0 },
        ...(r.response.raw_model ? { raw_model: r.response.raw_model } : {}),
      },
    };
  }
  return null;
}
