import type { Usage } from '../../core/store/schema.ts';
import type { ChatClient, ChatRequest, ChatResult } from '../ollama/ollama-client.ts';
import { OllamaError, Runaway, StreamFailure } from '../ollama/errors.ts';
import { MAX_REPLY_CHARS, RunawayWatch } from '../ollama/runaway.ts';
import { DEFAULT_TIMEOUTS, guardCall, type Timeouts } from '../ollama/transport.ts';

/**
 * A client for OpenAI-compatible servers (LM Studio, llama.cpp's server, vLLM): POST
 * `<base>/chat/completions`, streamed as server-sent events, with the wire schema as
 * `response_format: {type: "json_schema"}`. It answers the same ChatClient port as the Ollama
 * client, so the roles, transcripts and replay are the same. Timeouts, cancel and runaway detection
 * go through the same guard. `num_ctx` cannot be sent (the server's context is set when it starts);
 * it stays in the request as the budget the prompt was checked against.
 */
export const SERVER = 'OpenAI-compatible server';

export type OpenAiStatus =
  | { state: 'ok'; model: string }
  | { state: 'down'; message: string }
  | { state: 'missing_model'; message: string };

export class OpenAiClient implements ChatClient {
  readonly timeouts: Timeouts;

  constructor(readonly baseUrl: string, timeouts: Partial<Timeouts> = {}) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
  }

  /** These servers publish no digest. */
  knownDigest(): string | null {
    return null;
  }

  /** The models the server serves (`GET <base>/models`). */
  async models(opts: { timeouts?: Partial<Timeouts>; signal?: AbortSignal } = {}): Promise<string[]> {
    return this.call(opts.signal, opts.timeouts, async (fetcher) => {
      const res = await fetcher(`${this.baseUrl}/models`, { method: 'GET' });
      if (!res.ok) throw new StreamFailure(`HTTP ${res.status} from ${this.baseUrl}/models: ${(await res.text()).slice(0, 200)}`);
      const body = await res.json() as { data?: Array<{ id?: unknown }> };
      return (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
    });
  }

  async status(model: string, opts: { timeouts?: Partial<Timeouts>; signal?: AbortSignal } = {}): Promise<OpenAiStatus> {
    let served: string[];
    try {
      served = await this.models(opts);
    } catch (e) {
      if (e instanceof OllamaError && (e.kind === 'down' || e.kind === 'timeout' || e.kind === 'stream')) return { state: 'down', message: e.message };
      throw e;
    }
    if (!served.includes(model)) {
      return { state: 'missing_model', message: `model ${model} is not served at ${this.baseUrl} (it serves: ${served.join(', ') || 'none'})` };
    }
    return { state: 'ok', model };
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    return this.call(req.signal, req.timeouts, async (fetcher, fail) => {
      const o = req.options ?? {};
      const body = {
        model: req.model, messages: req.messages, stream: true, stream_options: { include_usage: true },
        ...(o.temperature === undefined ? {} : { temperature: o.temperature }),
        ...(o.seed === undefined ? {} : { seed: o.seed }),
        ...(o.num_predict === undefined ? {} : { max_tokens: o.num_predict }),
        ...(req.format !== undefined && typeof req.format === 'object'
          ? { response_format: { type: 'json_schema', json_schema: { name: 'reply', strict: true, schema: req.format } } } : {}),
      };
      const res = await fetcher(`${this.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok || res.body === null) {
        const text = (await res.text()).slice(0, 300);
        if (res.status === 404) throw new StreamFailure(`model ${req.model} is not served at ${this.baseUrl} (HTTP 404: ${text})`);
        throw new StreamFailure(`HTTP ${res.status}: ${text}`);
      }
      const watch = new RunawayWatch();
      const thinkingWatch = new RunawayWatch();
      let content = '';
      let thinking = '';
      let finish = '';
      let usage: Usage | null = null;
      let done = false;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const bytes of res.body) {
        buffer += decoder.decode(bytes as Uint8Array, { stream: true });
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        // One event line longer than any reply may be is not waited for to its end.
        if (buffer.length > 2 * MAX_REPLY_CHARS) throw fail(new Runaway(`an event line longer than ${2 * MAX_REPLY_CHARS} characters`, buffer.length));
        for (const raw of lines) {
          const line = raw.trim();
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') { done = true; continue; }
          let chunk: { choices?: Array<{ delta?: { content?: string | null; reasoning_content?: string | null }; finish_reason?: string | null }>; usage?: { prompt_tokens?: number; completion_tokens?: number } | null; error?: { message?: string } };
          try {
            chunk = JSON.parse(data) as typeof chunk;
          } catch {
            throw fail(new StreamFailure(`malformed event line: ${data.slice(0, 120)}`));
          }
          if (chunk.error !== undefined) throw fail(new StreamFailure(chunk.error.message ?? 'the server reported an error'));
          const choice = chunk.choices?.[0];
          const thought = choice?.delta?.reasoning_content ?? '';
          if (thought !== '') {
            thinking += thought;
            req.onThinking?.(thinking);
            const ran = thinkingWatch.check(thinking);
            if (ran !== null) throw fail(new Runaway(`thinking: ${ran.what}`, ran.chars));
          }
          const piece = choice?.delta?.content ?? '';
          if (piece !== '') {
            content += piece;
            req.onChunk?.(content);
            const ran = watch.check(content);
            if (ran !== null) throw fail(new Runaway(ran.what, ran.chars));
          }
          if (typeof choice?.finish_reason === 'string') finish = choice.finish_reason;
          if (chunk.usage != null) {
            usage = { prompt_tokens: chunk.usage.prompt_tokens ?? null, completion_tokens: chunk.usage.completion_tokens ?? null, total_ms: null, load_ms: null };
          }
        }
      }
      if (!done && finish === '') throw new StreamFailure('the stream ended before the reply finished');
      const doneReason = finish === '' ? 'stop' : finish;
      return { content, thinking, doneReason, truncated: doneReason === 'length', model: req.model, usage };
    });
  }

  private async call<T>(signal: AbortSignal | undefined, timeouts: Partial<Timeouts> | undefined,
    body: (fetcher: typeof fetch, fail: (e: OllamaError) => OllamaError) => Promise<T>): Promise<T> {
    const guard = guardCall(this.baseUrl, { ...this.timeouts, ...timeouts }, signal, SERVER);
    const fail = (e: OllamaError): OllamaError => {
      guard.fail(e);
      return e;
    };
    try {
      return await body(guard.fetch, fail);
    } catch (e) {
      throw guard.failure() ?? (e instanceof OllamaError ? e : new StreamFailure(e instanceof Error ? e.message : String(e)));
    } finally {
      guard.dispose();
    }
  }
}
