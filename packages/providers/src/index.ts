/**
 * @llmctl/providers: model provider adapters (OpenAI, Anthropic, Gemini / Vertex AI, vLLM / OpenAI-compatible,
 * scripted) behind one `ModelProvider` interface.
 */
export * from './types.ts';
export { createProvider, withRedactedErrors } from './create-provider.ts';
export { redactSecrets, secretRedactor, redactText, redactError, credentialValues, configSecrets, CREDENTIAL_FIELD_RE, REDACTED } from './redact.ts';
export { parseStructuredOutput, jsonInstruction } from './structured-output.ts';
export { PROVIDER_ENDPOINTS, parseAllowedBaseUrls, checkBaseUrl, assertHttpUrl, baseUrlNotAllowed, type BaseUrlAllowlist, type BaseUrlVerdict, type Lookup } from './base-url-policy.ts';
export { mapProviderError, retryAfterMs } from './error-mapping.ts';
export { abortError } from './call-scope.ts';
export { OpenAIChatProvider, toOpenAIMessages, type JsonMode } from './openai.ts';
export { OpenAICompatibleProvider } from './openai-compatible.ts';
export { AnthropicProvider, toAnthropicMessages } from './anthropic.ts';
export { GeminiProvider, toGeminiContents } from './gemini.ts';
export { ScriptedProvider, parseScriptedResponses, type ScriptedResponse } from './scripted.ts';
