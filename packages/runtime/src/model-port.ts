/**
 * The model port of the runtime: what a task node needs from a model provider. The server wires it to
 * @llmctl/providers; the shapes are structurally those of that package.
 */
export interface PortToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface PortChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  tool_call_id?: string;
  tool_calls?: PortToolCall[];
}

export interface PortChatRequest {
  model: string;
  messages: PortChatMessage[];
  tools?: { name: string; description?: string; input_schema: Record<string, unknown> }[];
  json_schema?: Record<string, unknown>;
  temperature?: number;
  max_tokens?: number;
}

export interface PortChatResponse {
  text: string;
  tool_calls: PortToolCall[];
  usage: { input_tokens: number; output_tokens: number };
  finish_reason: string;
  raw_model?: string;
}

export interface PortScriptedHooks {
  render?: (value: unknown) => unknown;
  countPriorCalls?: (responseIndex: number) => Promise<number>;
  recordCall?: (responseIndex: number) => Promise<void>;
  toolCallsAlreadyReturned?: boolean;
  prompt?: string;
}

export interface PortCallOptions {
  signal?: AbortSignal;
  onToken?: (delta: string) => void;
  timeoutMs?: number;
  scripted?: PortScriptedHooks;
}

/** A registry model ready to call. */
export interface ResolvedModel {
  name: string;
  provider: string;
  model: string;
  chat(req: PortChatRequest, opts?: PortCallOptions): Promise<PortChatResponse>;
  /** Non-secret provider settings (no keys, headers or sealed values), journaled with each call. */
  settings?: Record<string, unknown>;
  /** The provider redactor with this model's secrets: runs over everything journaled. */
  redact?: <T>(value: T) => T;
}

export interface ModelGateway {
  /** The registry model with this name, or null when unknown. */
  resolve(name: string): Promise<ResolvedModel | null>;
}
