/**
 * Anthropic adapter: the `@anthropic-ai/sdk` Messages API, streamed, with `tool_use` and structured outputs
 * (`output_config.format`, or the schema in the system prompt when `settings.structured_outputs` is false).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { LlmctlError } from '@llmctl/contracts';
import { emitToken, withCallScope, type CallScope } from './call-scope.ts';
import { pinnedFetch } from './pinned-fetch.ts';
import { extraHeaders, parseToolArguments, setting, systemText } from './messages.ts';
import { jsonInstruction } from './structured-output.ts';
import type { CallOptions, ChatMessage, ChatRequest, ChatResponse, ModelProvider, ProviderConfig, ToolCall } from './types.ts';

type MessageParam = Anthropic.MessageParam;
type ContentBlockParam = Anthropic.ContentBlockParam;

/** Converts neutral messages (system messages excluded) to Anthropic turns; tool results become user turns. */
export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'user') {
      out.push({ role: 'user', content: m.content });
    } else if (m.role === 'assistant') {
      const blocks: ContentBlockParam[] = [];
      if (m.content !== '') blocks.push({ type: 'text', text: m.content });
      for (const tc of m.tool_calls ?? []) blocks.push({ type: 'tool_use', id: tc.id, name: tc.name, input: tc.arguments });
      out.push({ role: 'assistant', content: blocks.length > 0 ? blocks : m.content });
    } else {
      const block: ContentBlockParam = { type: 'tool_result', tool_use_id: m.tool_call_id ?? '', content: m.content };
      const prev = out[out.length - 1];
      // All results answering one assistant turn go into one user turn.
      if (prev && prev.role === 'user' && Array.isArray(prev.content) && prev.content.every((b) => b.type === 'tool_result')) {
        prev.content.push(block);
      } else {
        out.push({ role: 'user', content: [block] });
      }
    }
  }
  return out;
}

const FINISH: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

interface Block {
  kind: 'text' | 'tool_use' | 'other';
  id: string;
  name: string;
  json: string;
  input: unknown;
}

/** Adapter over the Anthropic Messages API. */
export class AnthropicProvider implements ModelProvider {
  readonly kind = 'anthropic' as const;
  private readonly settings: Record<string, unknown>;
  private readonly config: ProviderConfig;
  private client: Promise<Anthropic> | undefined;

  constructor(config: ProviderConfig) {
    this.config = config;
    this.settings = config.settings ?? {};
  }

  chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResponse> {
    return withCallScope(opts, async (scope) => {
      if (!this.config.api_key) throw new LlmctlError('provider_auth', 'No API key is configured for the anthropic provider', {});
      return this.stream(await this.getClient(this.config.api_key), req, opts, scope);
    });
  }

  /** The SDK client, created (and the SDK loaded) on first use. */
  private getClient(apiKey: string): Promise<Anthropic> {
    this.client ??= import('@anthropic-ai/sdk').then(({ default: SDK }) => new SDK({
      apiKey,
      baseURL: this.config.base_url || undefined,
      maxRetries: 0,
      defaultHeaders: extraHeaders(this.settings),
      ...(this.config.pinned_addresses?.length ? { fetch: pinnedFetch(this.config.pinned_addresses) } : {}),
    }));
    return this.client;
  }

  private buildParams(req: ChatRequest): Anthropic.MessageCreateParamsStreaming {
    const native = setting(this.settings, 'structured_outputs', true);
    const schema = req.json_schema;
    const system = systemText(req.messages, schema && !native ? jsonInstruction(schema) : undefined);
    const params: Anthropic.MessageCreateParamsStreaming = {
      model: req.model,
      max_tokens: req.max_tokens ?? setting(this.settings, 'default_max_tokens', 4096),
      messages: toAnthropicMessages(req.messages),
      stream: true,
    };
    if (system !== undefined) params.system = system;
    // `temperature` is deprecated by the Messages API (the SDK no longer types it): it is not sent.
    if (req.tools && req.tools.length > 0) {
      params.tools = req.tools.map((t) => ({
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        input_schema: { type: 'object' as const, ...t.input_schema },
      }));
    }
    if (schema && native) params.output_config = { format: { type: 'json_schema', schema } };
    return params;
  }

  private async stream(client: Anthropic, req: ChatRequest, opts: CallOptions | undefined, scope: CallScope): Promise<ChatResponse> {
    const stream = await client.messages.create(this.buildParams(req), { signal: scope.signal });
    let text = '';
    let stop: string | null | undefined;
    let model: string | undefined;
    const usage = { input_tokens: 0, output_tokens: 0 };
    const blocks = new Map<number, Block>();
    for await (const event of stream) {
      switch (event.type) {
        case 'message_start': {
          model = event.message.model;
          const u = event.message.usage;
          usage.input_tokens = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
          usage.output_tokens = u.output_tokens ?? 0;
          break;
        }
        case 'content_block_start': {
          const cb = event.content_block;
          const block: Block = { kind: 'other', id: '', name: '', json: '', input: undefined };
          if (cb.type === 'text') {
            block.kind = 'text';
            if (cb.text) {
              text += cb.text;
              emitToken(opts, cb.text);
            }
          } else if (cb.type === 'tool_use') {
            Object.assign(block, { kind: 'tool_use', id: cb.id, name: cb.name, input: cb.input });
          }
          blocks.set(event.index, block);
          break;
        }
        case 'content_block_delta': {
          const d = event.delta;
          if (d.type === 'text_delta') {
            text += d.text;
            emitToken(opts, d.text);
          } else if (d.type === 'input_json_delta') {
            const block = blocks.get(event.index);
            if (block) block.json += d.partial_json;
          }
          break;
        }
        case 'message_delta': {
          if (event.delta.stop_reason) stop = event.delta.stop_reason;
          if (event.usage.output_tokens !== undefined && event.usage.output_tokens !== null) usage.output_tokens = event.usage.output_tokens;
          break;
        }
        default:
          break;
      }
    }
    // The SDK ends the iteration silently when the request is aborted: do not return a partial answer.
    scope.throwIfAborted();
    const toolCalls: ToolCall[] = [...blocks.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, b]) => b.kind === 'tool_use')
      .map(([, b]) => ({
        id: b.id,
        name: b.name,
        arguments:
          b.json !== '' || !b.input || typeof b.input !== 'object'
            ? parseToolArguments(b.json, b.name)
            : (b.input as Record<string, unknown>),
      }));
    const finish = stop ? (FINISH[stop] ?? stop) : toolCalls.length > 0 ? 'tool_calls' : 'stop';
    if (finish === 'content_filter') {
      throw new LlmctlError('provider_content_filter', 'The model refused to answer', { finish_reason: stop, partial_text: text });
    }
    return { text, tool_calls: toolCalls, usage, finish_reason: finish, ...(model ? { raw_model: model } : {}) };
  }
}
