/**
 * vLLM and any other OpenAI-compatible server: the OpenAI adapter pointed at `base_url`, the key optional. JSON is
 * asked for with `response_format: json_schema` (vLLM guided decoding); when the server rejects that with a 400,
 * the call is repeated with the schema in the prompt instead; when that works, the provider instance remembers it and
 * asks through the prompt from then on.
 */
import { LlmctlError } from '@llmctl/contracts';
import { OpenAIChatProvider, type JsonMode } from './openai.ts';
import { setting } from './messages.ts';
import type { CallOptions, ChatRequest, ChatResponse, ProviderConfig } from './types.ts';

const JSON_MODES: readonly JsonMode[] = ['json_schema', 'json_object', 'prompt'];

/** Adapter for `vllm` and `openai_compatible`. */
export class OpenAICompatibleProvider extends OpenAIChatProvider {
  private jsonMode: JsonMode;
  /** True once the server rejected `response_format`: later calls go straight to prompt-enforced JSON. */
  responseFormatRejected = false;

  constructor(config: ProviderConfig, kind: 'vllm' | 'openai_compatible') {
    super(config, kind, { keyOptional: true });
    const mode = setting<string>(this.settings, 'json_mode', 'json_schema');
    if (!JSON_MODES.includes(mode as JsonMode)) {
      throw new LlmctlError('provider_config_invalid', `settings.json_mode must be one of ${JSON_MODES.join(', ')}`, {
        provider: kind,
        json_mode: mode,
      });
    }
    this.jsonMode = mode as JsonMode;
  }

  override async chat(req: ChatRequest, opts?: CallOptions): Promise<ChatResponse> {
    if (!req.json_schema || this.jsonMode === 'prompt' || this.responseFormatRejected) {
      return this.chatWithMode(req, opts, 'prompt');
    }
    try {
      return await this.chatWithMode(req, opts, this.jsonMode);
    } catch (err) {
      if (!(err instanceof LlmctlError) || err.code !== 'provider_bad_request' || err.details.status !== 400) throw err;
      const answer = await this.chatWithMode(req, opts, 'prompt');
      // Only now is it clear that response_format (and not something else in the request) was the problem.
      this.responseFormatRejected = true;
      return answer;
    }
  }
}
