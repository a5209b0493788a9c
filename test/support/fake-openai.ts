import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promptTokens, type RecordedRequest, type Responder } from './fake-ollama.ts';

/**
 * A fake OpenAI-compatible server (LM Studio, llama.cpp's server, vLLM) on 127.0.0.1, port 0:
 * `GET /v1/models` and `POST /v1/chat/completions`, streamed as server-sent events
 * (`data: {chunk}` lines, a usage chunk when `stream_options.include_usage`, then `data: [DONE]`),
 * each line in two writes. Replies come from the same scripted scenarios as the fake Ollama
 * server; the responder sees the request as Ollama's shape ({messages, format}), with `format`
 * taken from `response_format.json_schema.schema`, so the same role responders serve both.
 * A request without `response_format: {type: "json_schema"}` gets 400, as a strict server would.
 */
export interface FakeOpenAi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(opts: { models?: string[]; respond: Responder }): Promise<FakeOpenAi> {
  const models = opts.models ?? ['local-model'];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', url, body });
    if (url === '/v1/models') return json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'local' })) });
    if (url !== '/v1/chat/completions') return json(res, 404, { error: { message: `no route ${url}` } });
    if (!models.includes(String(body.model))) return json(res, 404, { error: { message: `model '${String(body.model)}' not found` } });
    const rf = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
    if (rf?.type !== 'json_schema' || rf.json_schema?.schema === undefined) return json(res, 400, { error: { message: 'response_format json_schema required' } });
    const s = opts.respond({ messages: body.messages, format: rf.json_schema.schema });
    if (s === undefined) return json(res, 500, { error: { message: 'fake-openai: no scripted reply' } });
    if (s.kind === 'http_error') return json(res, s.status, { error: { message: s.error } });
    if (s.kind !== 'reply') return json(res, 500, { error: { message: `fake-openai: scenario ${s.kind} is not scripted here` } });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: body.model };
    const send = (v: unknown): void => {
      const line = `data: ${JSON.stringify(v)}\n\n`;
      const cut = Math.floor(line.length / 2);
      res.write(line.slice(0, cut));
      res.write(line.slice(cut));
    };
    for (const t of s.thinking ?? []) send({ ...base, choices: [{ index: 0, delta: { reasoning_content: t }, finish_reason: null }] });
    for (const c of s.chunks) {
      if (res.destroyed) return;
      send({ ...base, choices: [{ index: 0, delta: { content: c }, finish_reason: null }] });
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: s.doneReason ?? 'stop' }] });
    const so = body.stream_options as { include_usage?: boolean } | undefined;
    if (so?.include_usage === true) {
      send({ ...base, choices: [], usage: { prompt_tokens: s.promptEvalCount ?? promptTokens(body), completion_tokens: s.chunks.length, total_tokens: 0 } });
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
