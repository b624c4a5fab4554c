/**
 * Gemini (API key) and Vertex AI adapter: `@google/genai`'s streaming `generateContentStream`, pointed at
 * `base_url` through `httpOptions.baseUrl`, with function calling and `responseJsonSchema`.
 */
import type { Content, GenerateContentConfig, GenerateContentResponse, GoogleGenAI, GoogleGenAIOptions, Part } from '@google/genai';
import { randomUUID } from 'node:crypto';
import { LlmctlError } from '@llmctl/contracts';
import { emitToken, withCallScope, type CallScope } from './call-scope.ts';
import { pinnedFetch } from './pinned-fetch.ts';
import { extraHeaders, setting, systemText } from './messages.ts';
import type { CallOptions, ChatMessage, ChatRequest, ChatResponse, ModelProvider, ProviderConfig, ToolCall } from './types.ts';

/** Ids this adapter makes up for function calls that came without one (never sent back to the API). */
const LOCAL_ID_PREFIX = 'gemini_call_';
const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT']);
const MAX_SIGNATURES = 1000;

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Converts neutral messages (system messages excluded) to Gemini contents. Tool results become `functionResponse`
 * parts of a user turn, named after the assistant tool call they answer.
 */
export function toGeminiContents(messages: ChatMessage[], signatures?: Map<string, string>): Content[] {
  const names = new Map<string, string>();
  const out: Content[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'user') {
      out.push({ role: 'user', parts: [{ text: m.content }] });
    } else if (m.role === 'assistant') {
      const parts: Part[] = [];
      if (m.content !== '') parts.push({ text: m.content });
      for (const tc of m.tool_calls ?? []) {
        names.set(tc.id, tc.name);
        const part: Part = {
          functionCall: { name: tc.name, args: tc.arguments, ...(tc.id.startsWith(LOCAL_ID_PREFIX) ? {} : { id: tc.id }) },
        };
        const sig = signatures?.get(tc.id);
        if (sig) part.thoughtSignature = sig;
        parts.push(part);
      }
      out.push({ role: 'model', parts: parts.length > 0 ? parts : [{ text: '' }] });
    } else {
      const id = m.tool_call_id ?? '';
      const part: Part = {
        functionResponse: {
          name: names.get(id) ?? id,
          response: { output: parseMaybeJson(m.content) },
          ...(id && !id.startsWith(LOCAL_ID_PREFIX) ? { id } : {}),
        },
      };
      const prev = out[out.length - 1];
      if (prev && prev.role === 'user' && prev.parts?.every((p) => p.functionResponse)) prev.parts.push(part);
      else out.push({ role: 'user', parts: [part] });
    }
  }
  return out;
}

/** Adapter over Gemini's API (`gemini`) or Vertex AI (`vertex`). */
export class GeminiProvider implements ModelProvider {
  readonly kind: 'gemini' | 'vertex';
  private readonly options: GoogleGenAIOptions | undefined;
  private client: Promise<GoogleGenAI> | undefined;
  /** Thought signatures of returned function calls, sent back with them (Gemini requires them in tool loops). */
  private readonly signatures = new Map<string, string>();
  /** The fetch requests go through: the pinned one when the config pins addresses. */
  private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init);

  constructor(config: ProviderConfig, kind: 'gemini' | 'vertex') {
    this.kind = kind;
    if (config.pinned_addresses?.length) this.fetchImpl = pinnedFetch(config.pinned_addresses);
    const settings = config.settings ?? {};
    const headers = extraHeaders(settings);
    const options: GoogleGenAIOptions = {
      // Always an object: the SDK copies it per request. No retryOptions: retries are the runtime's job.
      httpOptions: { ...(config.base_url ? { baseUrl: config.base_url } : {}), ...(headers ? { headers } : {}) },
    };
    const apiVersion = setting<string | undefined>(settings, 'api_version', undefined);
    if (apiVersion) options.apiVersion = apiVersion;
    if (kind === 'gemini') {
      if (!config.api_key) return;
      options.apiKey = config.api_key;
    } else {
      options.vertexai = true;
      const token = setting<string | undefined>(settings, 'access_token', undefined);
      const credentials = setting<Record<string, unknown> | undefined>(settings, 'credentials', undefined);
      if (config.api_key && !config.project && !token && !credentials) {
        options.apiKey = config.api_key; // Vertex AI express mode
      } else {
        options.project = config.project ?? undefined;
        options.location = config.location ?? 'global';
        if (token) {
          // A fixed bearer token (e.g. from `gcloud auth print-access-token`): a minimal auth client.
          const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${token}` }) };
          options.googleAuthOptions = { authClient } as unknown as GoogleGenAIOptions['googleAuthOptions'];
        } else if (credentials) {
          options.googleAuthOptions = { credentials } as GoogleGenAIOptions['googleAuthOptions'];
        }
      }
    }
    this.options = options;
  }

  chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResponse> {
    return withCallScope(opts, async (scope) => {
      if (!this.options) throw new LlmctlError('provider_auth', 'No API key is configured for the gemini provider', {});
      return this.stream(await this.getClient(this.options), req, opts, scope);
    });
  }

  /** The SDK client, created (and the SDK loaded) on first use. */
  private getClient(options: GoogleGenAIOptions): Promise<GoogleGenAI> {
    this.client ??= import('@google/genai').then(({ GoogleGenAI: SDK }) => new SDK(options));
    return this.client;
  }

  private async stream(client: GoogleGenAI, req: ChatRequest, opts: CallOptions | undefined, scope: CallScope): Promise<ChatResponse> {
    // The SDK's ApiError carries no headers: keep the response's to read Retry-After.
    let lastHeaders: Headers | undefined;
    const capturingFetch: typeof fetch = async (input, init) => {
      const res = await this.fetchImpl(input, init);
      lastHeaders = res.headers;
      return res;
    };
    const config: GenerateContentConfig = { abortSignal: scope.signal, httpOptions: { fetch: capturingFetch } };
    const system = systemText(req.messages);
    if (system !== undefined) config.systemInstruction = system;
    if (req.temperature !== undefined) config.temperature = req.temperature;
    if (req.max_tokens !== undefined) config.maxOutputTokens = req.max_tokens;
    if (req.tools && req.tools.length > 0) {
      config.tools = [{
        functionDeclarations: req.tools.map((t) => ({
          name: t.name,
          ...(t.description ? { description: t.description } : {}),
          parametersJsonSchema: t.input_schema,
        })),
      }];
    }
    if (req.json_schema) {
      config.responseMimeType = 'application/json';
      config.responseJsonSchema = req.json_schema;
    }
    let text = '';
    let finish: string | undefined;
    let blocked: string | undefined;
    let model: string | undefined;
    const usage = { input_tokens: 0, output_tokens: 0 };
    const toolCalls: ToolCall[] = [];
    try {
      const stream = await client.models.generateContentStream({
        model: req.model,
        contents: toGeminiContents(req.messages, this.signatures),
        config,
      });
      for await (const chunk of stream as AsyncIterable<GenerateContentResponse>) {
        if (chunk.modelVersion) model = chunk.modelVersion;
        const u = chunk.usageMetadata;
        if (u) {
          usage.input_tokens = u.promptTokenCount ?? usage.input_tokens;
          usage.output_tokens = (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) || usage.output_tokens;
        }
        if (chunk.promptFeedback?.blockReason) blocked = String(chunk.promptFeedback.blockReason);
        const cand = chunk.candidates?.[0];
        if (!cand) continue;
        if (cand.finishReason) finish = String(cand.finishReason);
        for (const part of cand.content?.parts ?? []) {
          if (part.thought) continue;
          if (typeof part.text === 'string' && part.text !== '') {
            text += part.text;
            emitToken(opts, part.text);
          }
          if (part.functionCall) {
            const id = part.functionCall.id || `${LOCAL_ID_PREFIX}${randomUUID()}`;
            if (part.thoughtSignature) this.remember(id, part.thoughtSignature);
            toolCalls.push({ id, name: part.functionCall.name ?? '', arguments: part.functionCall.args ?? {} });
          }
        }
      }
    } catch (err) {
      if (lastHeaders && err && typeof err === 'object' && !('headers' in err)) {
        Object.assign(err, { headers: lastHeaders });
      }
      throw err;
    }
    scope.throwIfAborted();
    if (blocked || (finish && FILTERED.has(finish))) {
      throw new LlmctlError('provider_content_filter', `The provider blocked the content (${blocked ?? finish})`, {
        finish_reason: finish,
        block_reason: blocked,
        partial_text: text,
      });
    }
    if (finish === 'MALFORMED_FUNCTION_CALL') {
      throw new LlmctlError('provider_invalid_response', 'The model produced a malformed function call', { finish_reason: finish });
    }
    let finishReason = finish === 'MAX_TOKENS' ? 'length' : finish && finish !== 'STOP' ? finish.toLowerCase() : 'stop';
    if (toolCalls.length > 0 && finishReason === 'stop') finishReason = 'tool_calls';
    return { text, tool_calls: toolCalls, usage, finish_reason: finishReason, ...(model ? { raw_model: model } : {}) };
  }

  private remember(id: string, signature: string): void {
    if (this.signatures.size >= MAX_SIGNATURES) {
      const oldest = this.signatures.keys().next().value;
      if (oldest !== undefined) this.signatures.delete(oldest);
    }
    this.signatures.set(id, signature);
  }
}
