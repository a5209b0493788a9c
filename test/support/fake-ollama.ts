import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Ollama HTTP server on 127.0.0.1 (port 0) for tests: /api/tags, /api/show, /api/chat
 * (streamed NDJSON and non-streamed JSON, shaped as docs/api.md describes) and /api/version.
 * /api/chat replies come from a queue of scripted scenarios; when the queue is empty, from the
 * `respond` function if one was given (a scripted model that reads the request), else a 500, so a
 * test that asks more often than it scripted fails loudly. Every request is recorded.
 */

export type Scenario =
  /**
   * A reply streamed in `chunks`, with `delayMs` between chunks (and thinking pieces). `thinking` pieces go first, in the
   * `thinking` field, as a thinking model's do; `promptEvalCount` replaces the count of the prompt's
   * tokens (a small one is how Ollama shows it cut the prompt); `endless` is then streamed forever
   * (every `delayMs`, at least 1 ms) until the client goes away, as a runaway model does.
   */
  | { kind: 'reply'; chunks: string[]; doneReason?: 'stop' | 'length'; delayMs?: number; thinking?: string[]; promptEvalCount?: number; endless?: string }
  /** An HTTP error before any streaming (JSON body, like Ollama). */
  | { kind: 'http_error'; status: number; error: string }
  /** Some chunks, then an `{"error": …}` line, as Ollama does once the 200 is already sent. */
  | { kind: 'mid_error'; chunks: string[]; error: string }
  /** Some chunks, then a broken NDJSON line, then the final chunk. */
  | { kind: 'malformed'; chunks: string[] }
  /** Never sends headers. */
  | { kind: 'hang' }
  /** Sends `chunks`, then stalls forever. */
  | { kind: 'stall'; chunks: string[] };

export interface FakeModel {
  name: string;
  digest: string;
  capabilities?: string[];
  /** /api/show's `<arch>.context_length` (8192 when absent). */
  contextLength?: number;
  family?: string;
  /** An Ollama cloud model: /api/tags lists it with this `remote_host` (and a `remote_model`). */
  remoteHost?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  body: Record<string, unknown>;
}

export interface FakeOllama {
  url: string;
  requests: RecordedRequest[];
  /** Appends scenarios to the /api/chat queue, consumed one per request. */
  script(...scenarios: Scenario[]): void;
  /** Chat requests not yet answered from the queue. */
  pending(): number;
  close(): Promise<void>;
}

export const FAKE_MODEL: FakeModel = {
  name: 'fake-model:latest',
  digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
  capabilities: ['completion', 'tools'],
};

/** Text split into small pieces, one multi-byte-safe string each, the way a model streams tokens. */
export function pieces(text: string, size = 7): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out.length > 0 ? out : [''];
}

/** Named scenarios built from the JSON value the model "means". */
export const scenarios = {
  valid: (v: unknown): Scenario => ({ kind: 'reply', chunks: pieces(JSON.stringify(v)) }),
  fenced: (v: unknown): Scenario => ({ kind: 'reply', chunks: pieces('```json\n' + JSON.stringify(v, null, 2) + '\n```') }),
  prose: (v: unknown): Scenario => ({ kind: 'reply', chunks: pieces(`Sure! Here is the JSON you asked for:\n${JSON.stringify(v)}\nLet me know if you need anything else {:)}.`) }),
  padded: (v: unknown): Scenario => ({ kind: 'reply', chunks: ['\n\n   ', ...pieces(JSON.stringify(v)), ' \n\t\n'.repeat(20)] }),
  truncated: (v: unknown): Scenario => {
    const text = JSON.stringify(v);
    return { kind: 'reply', chunks: pieces(text.slice(0, Math.floor(text.length / 2))), doneReason: 'length' };
  },
  slow: (v: unknown, delayMs: number): Scenario => ({ kind: 'reply', chunks: pieces(JSON.stringify(v), 12), delayMs }),
  midStreamError: (error = 'an error was encountered while running the model'): Scenario => ({ kind: 'mid_error', chunks: ['{"a":'], error }),
  malformed: (v: unknown): Scenario => ({ kind: 'malformed', chunks: pieces(JSON.stringify(v)) }),
  /** 404 for the model on /api/chat, as Ollama answers once the model was removed. */
  modelMissing: (model = 'fake-model'): Scenario => ({ kind: 'http_error', status: 404, error: `model '${model}' not found` }),
  hang: (): Scenario => ({ kind: 'hang' }),
  stall: (): Scenario => ({ kind: 'stall', chunks: ['{"a":'] }),
  /** A thinking model on a current server: its reasoning in the `thinking` field, then the JSON. */
  thinking: (v: unknown, thought: string): Scenario => ({ kind: 'reply', thinking: pieces(thought), chunks: pieces(JSON.stringify(v)) }),
  /** A thinking model on an older server (or a template without a thinking parser): `<think>…</think>` inside the content. */
  thinkInContent: (v: unknown, thought: string): Scenario => ({ kind: 'reply', chunks: pieces(`<think>${thought}</think>\n${JSON.stringify(v)}`) }),
  /** The start of a reply, then whitespace forever (a backend padding until about 10 × num_ctx). */
  whitespaceRunaway: (): Scenario => ({ kind: 'reply', chunks: ['{"diagnosis": "'], endless: ' '.repeat(16) + '\n', delayMs: 1 }),
  /** The same words over and over (greedy decoding looping). */
  loop: (): Scenario => ({ kind: 'reply', chunks: ['{"diagnosis": "'], endless: 'the edge is real and ', delayMs: 1 }),
  /** A 200 with a valid reply, but the server read only `read` tokens of the prompt: it cut the prompt. */
  cutPrompt: (v: unknown, read = 1024): Scenario => ({ kind: 'reply', chunks: pieces(JSON.stringify(v)), promptEvalCount: read }),
};

/** The prompt's token count as the fake reports it: 4 characters a token, as English text runs. */
export function promptTokens(body: Record<string, unknown>): number {
  const msgs = Array.isArray(body.messages) ? (body.messages as Array<{ content?: unknown }>) : [];
  return Math.ceil(msgs.reduce((n, m) => n + String(m.content ?? '').length, 0) / 4);
}

/** Answers a chat request the queue has no scenario for; undefined → 500 as with no responder. */
export type Responder = (body: Record<string, unknown>) => Scenario | undefined;

/**
 * `loadMs`: the model is not in memory; every chat waits this long before its first byte until one
 * wait has completed (the model loaded), as a cold Ollama does.
 */
export async function startFakeOllama(opts: { models?: FakeModel[]; version?: string; respond?: Responder; loadMs?: number } = {}): Promise<FakeOllama> {
  const models = opts.models ?? [FAKE_MODEL];
  const version = opts.version ?? '0.12.3';
  const queue: Scenario[] = [];
  let loaded = (opts.loadMs ?? 0) === 0;
  const requests: RecordedRequest[] = [];
  const find = (name: unknown): FakeModel | undefined =>
    models.find((m) => m.name === name || m.name === `${String(name)}:latest`);

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return json(res, 400, { error: 'invalid JSON body' });
    }
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', url, body });

    if (url === '/') return plain(res, 200, 'Ollama is running');
    if (url === '/api/version') return json(res, 200, { version });
    if (url === '/api/tags') return json(res, 200, { models: models.map(tagEntry) });
    if (url === '/api/show') {
      const m = find(body.model);
      if (!m) return json(res, 404, { error: `model '${String(body.model)}' not found` });
      return json(res, 200, {
        modelfile: '', parameters: '', template: '{{ .Prompt }}',
        details: { format: 'gguf', family: m.family ?? 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
        model_info: { 'general.architecture': 'llama', 'llama.context_length': m.contextLength ?? 8192 },
        ...(m.capabilities ? { capabilities: m.capabilities } : {}),
        modified_at: '2025-10-26T17:15:24.09Z',
      });
    }
    if (url !== '/api/chat') return plain(res, 404, '404 page not found');
    if (!find(body.model)) return json(res, 404, { error: `model '${String(body.model)}' not found` });
    if (!loaded) {
      await delay(opts.loadMs ?? 0, res);
      if (res.destroyed) return;
      loaded = true;
    }
    // No messages: a load request (routes.go ChatHandler answers done_reason "load"); it takes no scripted reply.
    if (Array.isArray(body.messages) && body.messages.length === 0) {
      return json(res, 200, { model: body.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: true, done_reason: 'load' });
    }
    const s = queue.shift() ?? opts.respond?.(body);
    if (!s) return json(res, 500, { error: 'fake-ollama: no scripted reply left' });
    await chat(res, body, s);
  }

  async function chat(res: ServerResponse, body: Record<string, unknown>, s: Scenario): Promise<void> {
    if (s.kind === 'http_error') return json(res, s.status, { error: s.error });
    if (s.kind === 'hang') return new Promise<void>((resolve) => res.once('close', resolve));
    const base = { model: body.model, created_at: new Date().toISOString() };
    const chunks = s.kind === 'reply' || s.kind === 'mid_error' || s.kind === 'malformed' || s.kind === 'stall' ? s.chunks : [];
    const final = {
      ...base, message: { role: 'assistant', content: '' }, done: true,
      done_reason: s.kind === 'reply' ? (s.doneReason ?? 'stop') : 'stop',
      total_duration: 1_000_000, load_duration: 1_000,
      prompt_eval_count: s.kind === 'reply' && s.promptEvalCount !== undefined ? s.promptEvalCount : promptTokens(body), prompt_eval_duration: 1_000,
      eval_count: chunks.length, eval_duration: 1_000,
    };
    if (body.stream === false && s.kind === 'reply') {
      return json(res, 200, { ...final, message: { role: 'assistant', content: chunks.join('') } });
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const t of s.kind === 'reply' ? (s.thinking ?? []) : []) {
      if (res.destroyed) return;
      res.write(JSON.stringify({ ...base, message: { role: 'assistant', content: '', thinking: t }, done: false }) + '\n');
      if (s.kind === 'reply' && s.delayMs) await delay(s.delayMs, res);
    }
    for (const c of chunks) {
      if (res.destroyed) return;
      // Each line goes out in two writes, so clients must handle a JSON line split across chunks.
      const line = JSON.stringify({ ...base, message: { role: 'assistant', content: c }, done: false }) + '\n';
      const cut = Math.floor(line.length / 2);
      res.write(line.slice(0, cut));
      res.write(line.slice(cut));
      if (s.kind === 'reply' && s.delayMs) await delay(s.delayMs, res);
    }
    if (res.destroyed) return;
    if (s.kind === 'reply' && s.endless !== undefined) {
      const line = JSON.stringify({ ...base, message: { role: 'assistant', content: s.endless }, done: false }) + '\n';
      while (!res.destroyed) {
        res.write(line);
        await delay(Math.max(1, s.delayMs ?? 1), res);
      }
      return;
    }
    if (s.kind === 'stall') return new Promise<void>((resolve) => res.once('close', resolve));
    if (s.kind === 'mid_error') {
      res.end(JSON.stringify({ error: s.error }) + '\n');
      return;
    }
    if (s.kind === 'malformed') res.write('{"model":"x","mess\n');
    res.end(JSON.stringify(final) + '\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...s) => void queue.push(...s),
    pending: () => queue.length,
    close: () => {
      // Hung requests would otherwise keep close() waiting forever.
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function tagEntry(m: FakeModel): Record<string, unknown> {
  return {
    ...(m.remoteHost === undefined ? {} : { remote_model: m.name.replace(/-cloud$/, ''), remote_host: m.remoteHost }),
    name: m.name, model: m.name, modified_at: '2025-10-26T17:15:24.09Z', size: 2019393189, digest: m.digest,
    details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Waits `ms`, or less if the client goes away (so close() is never held up by a slow reply). */
function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    res.once('close', done);
    function done(): void {
      clearTimeout(t);
      res.off('close', done);
      resolve();
    }
  });
}

/** A port that was just free and is now closed: connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Gauntlet's agent roles, as their system prompts name them ("You are the Director of Gauntlet …"). */
export type ChatRole = 'translator' | 'director' | 'reviewer';

type ChatMessage = { role: string; content: string };

function messagesOf(body: Record<string, unknown>): ChatMessage[] {
  return Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
}

export function chatRole(body: Record<string, unknown>): ChatRole | null {
  const system = messagesOf(body).find((m) => m.role === 'system')?.content ?? '';
  const m = /^You are the (Translator|Director|Reviewer) of Gauntlet/.exec(system);
  return m === null ? null : (m[1]!.toLowerCase() as ChatRole);
}

/** The first user message: the request text (followed by the appended JSON schema). */
export function requestText(body: Record<string, unknown>): string {
  return messagesOf(body).find((m) => m.role === 'user')?.content ?? '';
}

/** The Director's candidate ids, read from the `format` schema's enum, in the order offered. */
export function candidateIds(body: Record<string, unknown>): string[] {
  const format = body.format as { properties?: { order?: { items?: { enum?: string[] } } } } | undefined;
  return format?.properties?.order?.items?.enum ?? [];
}

/** A Director that keeps the rules' order and writes plain prose for each id. */
export function directorReply(body: Record<string, unknown>, prose = (id: string) => ({ justification: `${id} is the next step worth its cost`, expected_information_gain: `what ${id} shows` })): unknown {
  const ids = candidateIds(body);
  return { order: ids, notes: ids.map((id) => ({ id, ...prose(id) })) };
}

/** A Reviewer that quotes no number. */
export const REVIEW_REPLY = { diagnosis: 'The behaviour is broadly what the idea describes; the edge should be checked across more symbols before trusting it.', intent_match: 'partly' };

/** A scripted reply, or one built from the request (a Director reply must name the ids it was offered). */
export type ScriptItem = Scenario | ((body: Record<string, unknown>) => Scenario);

export interface RoleResponder {
  respond: Responder;
  /** Scenarios scripted per role and not yet used. */
  pending(): number;
  /** Chat requests answered, per role. */
  calls: Record<ChatRole, number>;
}

/**
 * A scripted model by role: each role's queue first, then its default (a function of the request).
 * A role with neither gets undefined, so the server answers 500 and the test sees it.
 */
export function roleResponder(queues: Partial<Record<ChatRole, ScriptItem[]>>, defaults: Partial<Record<ChatRole, (body: Record<string, unknown>) => Scenario>>): RoleResponder {
  const q: Record<ChatRole, ScriptItem[]> = { translator: [...(queues.translator ?? [])], director: [...(queues.director ?? [])], reviewer: [...(queues.reviewer ?? [])] };
  const calls: Record<ChatRole, number> = { translator: 0, director: 0, reviewer: 0 };
  return {
    calls,
    pending: () => q.translator.length + q.director.length + q.reviewer.length,
    respond: (body) => {
      const role = chatRole(body);
      if (role === null) return undefined;
      calls[role] += 1;
      const next = q[role].shift();
      if (next !== undefined) return typeof next === 'function' ? next(body) : next;
      return defaults[role]?.(body);
    },
  };
}
