/**
 * Local stub servers speaking the vendors' wire formats, for tests of this package and of others (e.g. the runtime
 * calling a real adapter). Each listens on 127.0.0.1 port 0; close it at the end of the test.
 */
export { startStubServer, sendJson, startSse } from './http-stub.ts';
export type { RecordedRequest, ReplyWriter, StubReply, StubScript, StubServer, StubToolCall } from './http-stub.ts';
export { startOpenAIStub } from './openai-stub.ts';
export { startAnthropicStub } from './anthropic-stub.ts';
export { startGeminiStub } from './gemini-stub.ts';
