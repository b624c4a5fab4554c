/** The one factory: a provider configuration in, the matching adapter out. */
import { LlmctlError } from '@llmctl/contracts';
import { AnthropicProvider } from './anthropic.ts';
import { GeminiProvider } from './gemini.ts';
import { OpenAICompatibleProvider } from './openai-compatible.ts';
import { OpenAIChatProvider } from './openai.ts';
import { ScriptedProvider } from './scripted.ts';
import type { ModelProvider, ProviderConfig } from './types.ts';

/**
 * Creates the adapter for `config.provider`. SDK clients are built once here, with SDK retries off (retries are
 * the runtime's job). A missing API key is reported by `chat` as `provider_auth`; invalid settings (an unknown
 * provider, bad scripted responses, an unknown `json_mode`) throw `provider_config_invalid` here.
 */
export function createProvider(config: ProviderConfig): ModelProvider {
  switch (config.provider) {
    case 'openai':
      return new OpenAIChatProvider(config, 'openai');
    case 'vllm':
    case 'openai_compatible':
      return new OpenAICompatibleProvider(config, config.provider);
    case 'anthropic':
      return new AnthropicProvider(config);
    case 'gemini':
    case 'vertex':
      return new GeminiProvider(config, config.provider);
    case 'scripted':
      return new ScriptedProvider(config);
    default:
      throw new LlmctlError('provider_config_invalid', `Unknown provider "${String((config as { provider: unknown }).provider)}"`, {
        provider: (config as { provider: unknown }).provider,
      });
  }
}
