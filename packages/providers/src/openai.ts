/**
 * OpenAI adapter: the `openai` SDK's streaming chat completions, with tool calls and `response_format: json_schema`.
 * The same class serves vLLM and other OpenAI-compatible servers (see `openai-compatible.ts`).
 */
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { LlmctlError } from '@llmctl/contracts';
import { emitToken, withCallScope, type CallScope } from './call-scope.ts';
import { pinnedFetch } from './pinned-fetch.ts';
import { extraHeaders, parseToolArguments, setting } from './messages.ts';
import { jsonInstruction } from './structured-output.ts';
import type { CallOptions, ChatMessage, ChatRequest, ChatResponse, ModelProvider, ProviderConfig, ProviderKind, ToolCall } from './types.ts';

/** How a JSON answer is asked for: the native schema, the server's JSON mode, or only the prompt. */
export type JsonMode = 'json_schema' | 'json_object' | 'prompt';

/** Converts neutral messages to chat-completions messages; `extraSystem` is appended as one more system message. */
export function toOpenAIMessages(messages: ChatMessage[], extraSystem?: string): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return { role: 'tool', content: m.content, tool_call_id: m.tool_call_id ?? '' };
      case 'assistant':
        if (m.tool_calls && m.tool_calls.length > 0) {
          return {
            role: 'assistant',
            content: m.content === '' ? null : m.content,
            tool_calls: m.tool_calls.map((tc) => ({
              id: tc.id,
              type: 'function' as const,
              function: { name: tc.name, arguments: JSON.stringify(tc.arguments) },
            })),
          };
        }
        return { role: 'assistant', content: m.content };
    }
  });
  if (extraSystem) {
    // Keep the system prompt first: after the last leading system message.
    let at = 0;
    while (at < out.length && out[at]?.role === 'system') at++;
    out.splice(at, 0, { role: 'system', content: extraSystem });
  }
  return out;
}

function normaliseFinish(reason: string | null | undefined, hasToolCalls: boolean): string {
  if (!reason) return hasToolCalls ? 'tool_calls' : 'stop';
  if (reason === 'function_call') return 'tool_calls';
  return reason.toLowerCase();
}

interface PartialToolCall {
  id: string;
  name: string;
  args: string;
}

/** Adapter over the OpenAI chat completions API (streaming). */
export class OpenAIChatProvider implements ModelProvider {
  readonly kind: ProviderKind;
  protected readonly settings: Record<string, unknown>;
  private readonly missingKeyMessage: string | undefined;
  private readonly clientOptions: ConstructorParameters<typeof OpenAI>[0];
  private client: Promise<OpenAI> | undefined;

  constructor(config: ProviderConfig, kind: ProviderKind = 'openai', options: { keyOptional?: boolean } = {}) {
    this.kind = kind;
    this.settings = config.settings ?? {};
    const apiKey = config.api_key || (options.keyOptional ? 'EMPTY' : undefined);
    if (!apiKey) this.missingKeyMessage = `No API key is configured for the ${kind} provider`;
    this.clientOptions = {
      apiKey, baseURL: config.base_url || undefined, maxRetries: 0, defaultHeaders: extraHeaders(this.settings),
      ...(config.pinned_addresses?.length ? { fetch: pinnedFetch(config.pinned_addresses) } : {}),
    };
  }

  /** The SDK client, created (and the SDK loaded) on first use. */
  private getClient(): Promise<OpenAI> {
    this.client ??= import('openai').then(({ default: SDK }) => new SDK(this.clientOptions));
    return this.client;
  }

  /** Sends the request with the JSON mode from settings (`json_schema` for OpenAI). */
  chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResponse> {
    return this.chatWithMode(req, opts, 'json_schema');
  }

  /** One streaming call asking for JSON the given way (when `req.json_schema` is set). */
  protected chatWithMode(req: ChatRequest, opts: CallOptions | undefined, mode: JsonMode): Promise<ChatResponse> {
    return withCallScope(opts, async (scope) => {
      if (this.missingKeyMessage) throw new LlmctlError('provider_auth', this.missingKeyMessage, { provider: this.kind });
      return this.stream(await this.getClient(), this.buildParams(req, mode), opts, scope);
    });
  }

  /** The chat-completions request body. */
  protected buildParams(req: ChatRequest, mode: JsonMode): ChatCompletionCreateParamsStreaming {
    const schema = req.json_schema;
    const params: ChatCompletionCreateParamsStreaming = {
      model: req.model,
      messages: toOpenAIMessages(req.messages, schema && mode !== 'json_schema' ? jsonInstruction(schema) : undefined),
      stream: true,
    };
    if (setting(this.settings, 'include_usage', true)) params.stream_options = { include_usage: true };
    if (req.temperature !== undefined) params.temperature = req.temperature;
    if (req.max_tokens !== undefined) {
      // OpenAI's newer models reject max_tokens; compatible servers may not know max_completion_tokens.
      if (this.kind === 'openai') params.max_completion_tokens = req.max_tokens;
      else params.max_tokens = req.max_tokens;
    }
    if (req.tools && req.tools.length > 0) {
      params.tools = req.tools.map((t): ChatCompletionTool => ({
        type: 'function',
        function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema },
      }));
    }
    if (schema && mode === 'json_schema') {
      params.response_format = {
        type: 'json_schema',
        json_schema: { name: 'output', schema, strict: setting(this.settings, 'strict_json_schema', false) },
      };
    } else if (schema && mode === 'json_object') {
      params.response_format = { type: 'json_object' };
    }
    return params;
  }

  private async stream(
    client: OpenAI,
    params: ChatCompletionCreateParamsStreaming,
    opts: CallOptions | undefined,
    scope: CallScope,
  ): Promise<ChatResponse> {
    const stream = await client.chat.completions.create(params, { signal: scope.signal });
    let text = '';
    let finish: string | null | undefined;
    let model: string | undefined;
    const usage = { input_tokens: 0, output_tokens: 0 };
    const calls = new Map<number, PartialToolCall>();
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      if (chunk.model) model = chunk.model;
      if (chunk.usage) {
        usage.input_tokens = chunk.usage.prompt_tokens ?? 0;
        usage.output_tokens = chunk.usage.completion_tokens ?? 0;
      }
      for (const choice of chunk.choices ?? []) {
        if (choice.index !== 0) continue;
        const delta = choice.delta;
        if (delta?.content) {
          text += delta.content;
          emitToken(opts, delta.content);
        }
        for (const tc of delta?.tool_calls ?? []) {
          const cur = calls.get(tc.index) ?? { id: '', name: '', args: '' };
          if (tc.id) cur.id = tc.id;
          if (tc.function?.name) cur.name += tc.function.name;
          if (tc.function?.arguments) cur.args += tc.function.arguments;
          calls.set(tc.index, cur);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
    // The SDK ends the iteration silently when the request is aborted: do not return a partial answer.
    scope.throwIfAborted();
    const toolCalls: ToolCall[] = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ id: c.id || `call_${index}`, name: c.name, arguments: parseToolArguments(c.args, c.name) }));
    const finishReason = normaliseFinish(finish, toolCalls.length > 0);
    if (finishReason === 'content_filter') {
      throw new LlmctlError('provider_content_filter', 'The provider stopped the answer with its content filter', {
        finish_reason: finish,
        partial_text: text,
      });
    }
    return { text, tool_calls: toolCalls, usage, finish_reason: finishReason, ...(model ? { raw_model: model } : {}) };
  }
}
