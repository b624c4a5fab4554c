/** The one factory: a provider configuration in, the matching adapter out. */
import { LlmctlError } from '@llmctl/contracts';
import { AnthropicProvider } from './anthropic.ts';
import { GeminiProvider } from './gemini.ts';
import { OpenAICompatibleProvider } from './openai-compatible.ts';
import { OpenAIChatProvider } from './openai.ts';
import { ScriptedProvider } from './scripted.ts';
import { configSecrets, redactError } from './redact.ts';
import type { ModelProvider, ProviderConfig } from './types.ts';

/**
 * Creates the adapter for `config.provider`. SDK clients are built once here, with SDK retries off (retries are
 * the runtime's job). A missing API key is reported by `chat` as `provider_auth`; invalid settings (an unknown
 * provider, bad scripted responses, an unknown `json_mode`) throw `provider_config_invalid` here.
 *
 * Every error `chat` rejects with has the configuration's secrets (API key, header values, credential-named settings)
 * and secret-looking text redacted from its message and details (see `redactSecrets`).
 */
export function createProvider(config: ProviderConfig): ModelProvider {
  return withRedactedErrors(buildProvider(config), configSecrets(config));
}

/**
 * Makes `provider.chat` reject only with redacted errors (the instance keeps its class and state). `secrets` are the
 * known secret values to remove besides the built-in patterns.
 */
export function withRedactedErrors<P extends ModelProvider>(provider: P, secrets: readonly string[]): P {
  const chat = provider.chat.bind(provider);
  Object.defineProperty(provider, 'chat', {
    configurable: true, writable: true, enumerable: false,
    value: async (...args: Parameters<ModelProvider['chat']>) => {
      try {
        return await chat(...args);
      } catch (err) {
        throw redactError(err, secrets);
      }
    },
  });
  return provider;
}

function buildProvider(config: ProviderConfig): ModelProvider {
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
