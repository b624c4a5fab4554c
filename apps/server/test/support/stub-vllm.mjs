// A stand-in for `vllm serve <model> --host H --port P`: serves /health, /v1/models and the OpenAI chat completions
// wire protocol (JSON and SSE streaming) on loopback. STUB_VLLM_MODE=exit: prints an error and exits 1 at start.
// STUB_VLLM_MODE=hang: starts but never answers (a model that takes forever to load).
// STUB_VLLM_STATE_FILE: appends `started <argv json>`, `chat <model>` and `stopped` lines (what the test checks).
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const argv = process.argv.slice(2);
const state = (line) => process.env.STUB_VLLM_STATE_FILE && appendFileSync(process.env.STUB_VLLM_STATE_FILE, `${line}\n`);
const flag = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
if (argv[0] !== 'serve' || !argv[1]) {
  process.stderr.write('usage: vllm serve MODEL --host H --port P\n');
  process.exit(2);
}
const model = argv[1];
state(`started ${JSON.stringify(argv)}`);
if (process.env.STUB_VLLM_MODE === 'exit') {
  process.stderr.write('RuntimeError: CUDA error: no kernel image is available (stub)\n');
  process.exit(1);
}
if (process.env.STUB_VLLM_MODE === 'hang') {
  process.on('SIGTERM', () => {
    state('stopped');
    process.exit(0);
  });
  setInterval(() => undefined, 1000);
} else {
  serve();
}

function serve() {
const reply = process.env.STUB_VLLM_REPLY ?? JSON.stringify({ who: `vllm ${model}` });
const chunks = [reply.slice(0, Math.ceil(reply.length / 2)), reply.slice(Math.ceil(reply.length / 2))];

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (b) => (body += b));
  req.on('end', () => {
    const json = (status, v) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(v)); };
    if (req.url === '/health') return json(200, {});
    if (req.url === '/v1/models') return json(200, { object: 'list', data: [{ id: model, object: 'model' }] });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return json(404, { error: { message: `no route ${req.url}` } });
    const r = JSON.parse(body || '{}');
    state(`chat ${r.model}`);
    const base = { id: 'chatcmpl-vllm', created: 1_700_000_000, model };
    const usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
    if (r.stream !== true) {
      return json(200, { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }], usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (choices, extra = {}) => res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
    send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    for (const c of chunks) send([{ index: 0, delta: { content: c }, finish_reason: null }]);
    send([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    if (r.stream_options?.include_usage) send([], { usage });
    res.end('data: [DONE]\n\n');
  });
});
server.listen(Number(flag('--port')), flag('--host') ?? '127.0.0.1');
process.on('SIGTERM', () => {
  state('stopped');
  server.close();
  process.exit(0);
});
}
