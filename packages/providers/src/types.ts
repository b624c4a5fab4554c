/** The provider-neutral model call shapes every adapter speaks. */

/** Which adapter answers; the `provider` field of a model registry entry. */
export type ProviderKind = 'openai' | 'anthropic' | 'gemini' | 'vertex' | 'vllm' | 'openai_compatible' | 'scripted';

/** Every provider kind, in a stable order (for validation and listings). */
export const PROVIDER_KINDS: readonly ProviderKind[] = [
  'openai', 'anthropic', 'gemini', 'vertex', 'vllm', 'openai_compatible', 'scripted',
];

/** One tool call the model asked for. `arguments` is always a parsed JSON object. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * One message of the conversation. `tool` messages answer the assistant tool call named by `tool_call_id`;
 * assistant messages that requested tools carry them in `tool_calls`.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  tool_call_id?: string;
  tool_calls?: ToolCall[];
}

/** A tool the model may call: its name, description and JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

/** One model call. `json_schema` asks for a JSON answer that validates against it (native mode where supported). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  json_schema?: Record<string, unknown>;
  temperature?: number;
  max_tokens?: number;
}

/**
 * The normalised answer. `finish_reason` is one of `stop`, `length`, `tool_calls`, `content_filter`, or the
 * provider's own value (lower-cased) when it has no equivalent.
 */
export interface ChatResponse {
  text: string;
  tool_calls: ToolCall[];
  usage: { input_tokens: number; output_tokens: number };
  finish_reason: string;
  /** The model the provider reports having used; `'scripted'` for the scripted provider. */
  raw_model?: string;
}

/**
 * Per-call hooks the runtime hands to the `scripted` provider (ignored by every other provider).
 * Without them the scripted provider renders nothing and counts calls in memory, per provider instance.
 */
export interface ScriptedCallHooks {
  /** Renders a template value (string or JSON value) over the node scope. Used for `output` and tool arguments. */
  render?: (value: unknown) => unknown;
  /**
   * How many earlier calls answered with response `responseIndex` (for `fail_times`), counted per
   * (model, run, node id, response) from the recorded calls, repairs included.
   */
  countPriorCalls?: (responseIndex: number) => Promise<number>;
  /** Records that this call is answered by response `responseIndex` (called once per call, failing calls included). */
  recordCall?: (responseIndex: number) => Promise<void>;
  /** True when this attempt already received the response's `tool_calls`: answer with `output` instead. */
  toolCallsAlreadyReturned?: boolean;
  /**
   * The text `match` is tested against. Defaults to the last user message. The runtime passes the node's rendered
   * prompt here so that repair calls (whose last user message is the repair request) reuse the same response.
   */
  prompt?: string;
}

/** Options of one call: cancellation, streaming and a per-call timeout. */
export interface CallOptions {
  /**
   * Aborting stops the HTTP request. The call then rejects with `signal.reason` when that is an `LlmctlError`
   * (e.g. the runtime's `node_timeout`), else with `LlmctlError('interrupted')`.
   */
  signal?: AbortSignal;
  /** Receives text deltas as they stream in. */
  onToken?: (delta: string) => void;
  /** Aborts the call after this many milliseconds with the retryable `provider_timeout`. */
  timeoutMs?: number;
  /** Hooks for the `scripted` provider. */
  scripted?: ScriptedCallHooks;
}

/** The one interface every adapter implements. */
export interface ModelProvider {
  readonly kind: ProviderKind;
  /** Sends one request and resolves with the full answer; errors are `LlmctlError`s with provider codes. */
  chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResponse>;
}

/**
 * What `createProvider` needs: the merged provider and model registry settings.
 *
 * `settings` by provider (all optional):
 * - every HTTP provider: `headers` (extra request headers).
 * - `openai`, `vllm`, `openai_compatible`: `include_usage` (default true: `stream_options.include_usage`),
 *   `strict_json_schema` (default false); `vllm` / `openai_compatible` also `json_mode`:
 *   `json_schema` (default; falls back to `prompt` when the server answers 400), `json_object` or `prompt`.
 * - `anthropic`: `default_max_tokens` (default 4096, Anthropic requires one), `structured_outputs`
 *   (default true: `output_config.format`; false: prompt-enforced JSON).
 * - `gemini` / `vertex`: `api_version`; `vertex` also `access_token` (a bearer token) or `credentials`
 *   (a service account key object); without them Application Default Credentials are used. A `vertex` config with
 *   `api_key` and no `project` uses Vertex AI express mode (the key, no project path).
 * - `scripted`: `responses` (see `ScriptedResponse`).
 */
export interface ProviderConfig {
  provider: ProviderKind;
  base_url?: string | null;
  api_key?: string | null;
  settings?: Record<string, unknown> | null;
  /** Vertex AI project. */
  project?: string | null;
  /** Vertex AI location (region), default `global`. */
  location?: string | null;
  /**
   * Connect only to these addresses (the base URL's host resolved and checked by the caller: DNS-rebinding guard).
   * The host name is kept for the Host header and TLS. Unset: the system resolver.
   */
  pinned_addresses?: readonly string[] | null;
}
