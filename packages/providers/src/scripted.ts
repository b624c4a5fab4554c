/**
 * The offline `scripted` provider (flowchart-v1.md, "The scripted provider"): answers from `settings.responses`,
 * for demos and tests. The runtime injects template rendering and durable call counting per call through
 * `CallOptions.scripted`; without them nothing is rendered and calls are counted in memory.
 */
import { LlmctlError, isErrorCode, type ErrorCode } from '@llmctl/contracts';
import { emitToken, sleep, withCallScope } from './call-scope.ts';
import { estimateTokens, lastUserMessage } from './messages.ts';
import type { CallOptions, ChatRequest, ChatResponse, ModelProvider, ProviderConfig, ToolCall } from './types.ts';

/** One scripted answer. */
export interface ScriptedResponse {
  /** Case-sensitive substring of the prompt; absent matches every prompt. */
  match?: string;
  /** A template (string or JSON value) rendered over the node scope; JSON values are serialised. */
  output?: unknown;
  /** Returned first (once per attempt), before `output`. `arguments` are rendered like `output`. */
  tool_calls?: { id?: string; name: string; arguments?: Record<string, unknown> }[];
  /** Waits this long before answering (aborts are honoured). */
  delay_ms?: number;
  /** The first N calls to this response fail with `fail_code` (retryable). */
  fail_times?: number;
  /** A registered error code; default `provider_unavailable`. */
  fail_code?: string;
}

function invalid(message: string, path: string): LlmctlError {
  return new LlmctlError('provider_config_invalid', `scripted provider: ${message}`, { provider: 'scripted', path });
}

/** Validates `settings.responses`; throws `provider_config_invalid` naming the offending path. */
export function parseScriptedResponses(settings: Record<string, unknown> | null | undefined): ScriptedResponse[] {
  const raw = settings?.responses ?? [];
  if (!Array.isArray(raw)) throw invalid('settings.responses must be an array', 'settings.responses');
  return raw.map((r: unknown, i): ScriptedResponse => {
    const at = `settings.responses[${i}]`;
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw invalid(`${at} must be an object`, at);
    const o = r as Record<string, unknown>;
    if (o.match !== undefined && typeof o.match !== 'string') throw invalid(`${at}.match must be a string`, `${at}.match`);
    for (const k of ['delay_ms', 'fail_times'] as const) {
      const v = o[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
        throw invalid(`${at}.${k} must be a non-negative integer`, `${at}.${k}`);
      }
    }
    if (o.fail_code !== undefined && (typeof o.fail_code !== 'string' || !isErrorCode(o.fail_code))) {
      throw invalid(`${at}.fail_code must be a registered error code`, `${at}.fail_code`);
    }
    if (o.tool_calls !== undefined) {
      if (!Array.isArray(o.tool_calls)) throw invalid(`${at}.tool_calls must be an array`, `${at}.tool_calls`);
      o.tool_calls.forEach((tc: unknown, j) => {
        const tcAt = `${at}.tool_calls[${j}]`;
        const t = tc as Record<string, unknown> | null;
        if (!t || typeof t !== 'object' || typeof t.name !== 'string' || t.name === '') throw invalid(`${tcAt}.name must be a non-empty string`, tcAt);
        if (t.arguments !== undefined && (typeof t.arguments !== 'object' || t.arguments === null || Array.isArray(t.arguments))) {
          throw invalid(`${tcAt}.arguments must be an object`, `${tcAt}.arguments`);
        }
      });
    }
    return o as ScriptedResponse;
  });
}

/** Splits text into a few chunks at word boundaries (for `onToken`). */
export function chunkText(text: string, parts = 4): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  if (words.length === 0) return [];
  const size = Math.ceil(words.length / parts);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out;
}

/** The scripted adapter. Every answer has `raw_model: 'scripted'`. */
export class ScriptedProvider implements ModelProvider {
  readonly kind = 'scripted' as const;
  readonly responses: ScriptedResponse[];
  /** Default call counts, by response index, when no `countPriorCalls` hook is given. */
  private readonly counts = new Map<number, number>();

  constructor(config: ProviderConfig) {
    this.responses = parseScriptedResponses(config.settings);
  }

  /** Index of the first response whose `match` is in `prompt` (or has none); -1 when none matches. */
  select(prompt: string): number {
    return this.responses.findIndex((r) => r.match === undefined || prompt.includes(r.match));
  }

  chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResponse> {
    return withCallScope(opts, async (scope) => {
      const hooks = opts?.scripted ?? {};
      const prompt = hooks.prompt ?? lastUserMessage(req.messages);
      const index = this.select(prompt);
      const response = this.responses[index];
      if (!response) {
        throw new LlmctlError('scripted_no_response', 'No scripted response matches the prompt', {
          prompt: prompt.length > 200 ? `${prompt.slice(0, 200)}…` : prompt,
          responses: this.responses.length,
        });
      }
      if (response.delay_ms) await sleep(response.delay_ms, scope.signal);

      const failTimes = response.fail_times ?? 0;
      // Counting earlier calls costs a query on the runtime's call log: only responses that fail need it.
      const prior = failTimes === 0 ? 0 : hooks.countPriorCalls ? await hooks.countPriorCalls(index) : (this.counts.get(index) ?? 0);
      if (failTimes > 0 && !hooks.countPriorCalls) this.counts.set(index, prior + 1);
      if (hooks.recordCall) await hooks.recordCall(index);
      scope.throwIfAborted();

      if (prior < failTimes) {
        const code = (response.fail_code ?? 'provider_unavailable') as ErrorCode;
        throw new LlmctlError(code, `Scripted failure ${prior + 1} of ${failTimes}`, {
          scripted: true,
          response_index: index,
          call: prior + 1,
        }, true);
      }

      const render = hooks.render ?? ((v: unknown) => v);
      const toolResultSeen = req.messages.some((m) => m.role === 'tool');
      if (response.tool_calls && response.tool_calls.length > 0 && !hooks.toolCallsAlreadyReturned && !toolResultSeen) {
        const calls: ToolCall[] = response.tool_calls.map((tc, j) => {
          const args = render(tc.arguments ?? {});
          return {
            id: tc.id ?? `scripted_call_${index}_${j}`,
            name: tc.name,
            arguments: args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
          };
        });
        return this.answer(req, '', calls, 'tool_calls');
      }

      const rendered = response.output === undefined ? '' : render(response.output);
      const text = typeof rendered === 'string' ? rendered : (JSON.stringify(rendered) ?? '');
      for (const chunk of chunkText(text)) {
        emitToken(opts, chunk);
        scope.throwIfAborted();
      }
      return this.answer(req, text, [], 'stop');
    });
  }

  private answer(req: ChatRequest, text: string, toolCalls: ToolCall[], finish: string): ChatResponse {
    const input = req.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    const output = estimateTokens(text) + (toolCalls.length > 0 ? estimateTokens(JSON.stringify(toolCalls)) : 0);
    return { text, tool_calls: toolCalls, usage: { input_tokens: input, output_tokens: output }, finish_reason: finish, raw_model: 'scripted' };
  }
}
