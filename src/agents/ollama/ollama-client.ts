import { Ollama } from 'ollama';
import type { Message } from 'ollama';
import { ModelMissing, OllamaDown, OllamaError, StreamFailure, Timeout } from './errors.ts';
import { DEFAULT_TIMEOUTS, guardCall } from './transport.ts';
import type { Timeouts } from './transport.ts';

export type { Message } from 'ollama';

/** Ollama added JSON-schema `format` (structured outputs) in 0.5.0. */
const STRUCTURED_OUTPUT_SINCE = [0, 5, 0] as const;

export type OllamaStatus =
  | { state: 'ok'; model: string; digest: string; version: string; label: string }
  | { state: 'down'; message: string }
  | { state: 'missing_model'; message: string }
  | { state: 'no_structured_output'; message: string };

export interface ChatRequest {
  model: string;
  messages: Message[];
  /** A JSON schema (structured outputs) or 'json'. */
  format?: string | Record<string, unknown>;
  options?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Called with the whole text so far after every non-empty chunk, so a UI can show progress. */
  onChunk?: (textSoFar: string) => void;
  timeouts?: Partial<Timeouts>;
}

/** One installed model, as /api/tags lists it. */
export interface InstalledModel {
  name: string;
  digest: string;
  modified_at: string;
}

export interface ChatResult {
  content: string;
  /** `stop`, or `length` when num_predict or the context cut the reply: see `truncated`. */
  doneReason: string;
  truncated: boolean;
  model: string;
}

/** What structured calls need from a client: tests and replay can supply their own. */
export interface ChatClient {
  chat(req: ChatRequest): Promise<ChatResult>;
  knownDigest(model: string): string | null;
}

export interface OllamaClientOptions {
  host: string;
  timeouts?: Partial<Timeouts>;
}

export class OllamaClient implements ChatClient {
  readonly host: string;
  readonly timeouts: Timeouts;
  private readonly digests = new Map<string, string>();

  constructor(opts: OllamaClientOptions) {
    this.host = opts.host;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  }

  /** The digest status() saw for the model, for transcripts; null before the first status(). */
  knownDigest(model: string): string | null {
    return this.digests.get(model) ?? null;
  }

  /** Streams a chat reply (stream: true, so the idle-gap timeout can watch it) and returns the whole text. */
  async chat(req: ChatRequest): Promise<ChatResult> {
    return this.call(req.model, req.signal, req.timeouts, async (ollama) => {
      const stream = await ollama.chat({
        model: req.model,
        messages: req.messages,
        stream: true,
        ...(req.format === undefined ? {} : { format: req.format }),
        ...(req.options === undefined ? {} : { options: req.options }),
      });
      let content = '';
      let doneReason = '';
      for await (const part of stream) {
        const piece = part.message?.content ?? '';
        if (piece !== '') {
          content += piece;
          req.onChunk?.(content);
        }
        if (part.done) doneReason = part.done_reason ?? 'stop';
      }
      return { content, doneReason, truncated: doneReason === 'length', model: req.model };
    });
  }

  /** The installed models (/api/tags). Throws OllamaDown or Timeout when nothing answers. */
  async listModels(opts: { signal?: AbortSignal; timeouts?: Partial<Timeouts> } = {}): Promise<InstalledModel[]> {
    return this.call('', opts.signal, opts.timeouts, async (ollama) => {
      const tags = await ollama.list();
      return tags.models.map((m) => ({ name: m.name, digest: m.digest, modified_at: String(m.modified_at) }));
    });
  }

  /** Is Ollama up, is the model installed, can it do structured output? Never throws for those. */
  async status(model: string, opts: { signal?: AbortSignal; timeouts?: Partial<Timeouts> } = {}): Promise<OllamaStatus> {
    try {
      return await this.call(model, opts.signal, opts.timeouts, async (ollama) => {
        const { version } = await ollama.version();
        const tags = await ollama.list();
        const entry = tags.models.find((m) => sameModel(m.name, model) || sameModel(m.model, model));
        if (!entry) return { state: 'missing_model', message: new ModelMissing(model).message };
        const show = await ollama.show({ model });
        if (olderThan(version, STRUCTURED_OUTPUT_SINCE)) {
          return { state: 'no_structured_output', message: `Ollama ${version} at ${this.host} predates structured outputs (0.5.0): upgrade Ollama` };
        }
        const caps: string[] | undefined = (show as { capabilities?: string[] }).capabilities;
        if (caps !== undefined && !caps.includes('completion')) {
          return { state: 'no_structured_output', message: `model ${model} cannot generate text (capabilities: ${caps.join(', ') || 'none'})` };
        }
        this.digests.set(model, entry.digest);
        return { state: 'ok', model, digest: entry.digest, version, label: `${model}@${entry.digest.slice(0, 12)}` };
      });
    } catch (e) {
      if (e instanceof OllamaDown) return { state: 'down', message: e.message };
      if (e instanceof Timeout) return { state: 'down', message: `Ollama is not responding at ${this.host} (${e.message})` };
      if (e instanceof ModelMissing) return { state: 'missing_model', message: e.message };
      throw e;
    }
  }

  /** One guarded call: a fresh ollama-js instance whose fetch carries this call's timeouts and signal. */
  private async call<T>(model: string, signal: AbortSignal | undefined, timeouts: Partial<Timeouts> | undefined,
    body: (ollama: Ollama) => Promise<T>): Promise<T> {
    const guard = guardCall(this.host, { ...this.timeouts, ...timeouts }, signal);
    try {
      return await body(new Ollama({ host: this.host, fetch: guard.fetch }));
    } catch (e) {
      throw guard.failure() ?? toOllamaError(e, this.host, model);
    } finally {
      guard.dispose();
    }
  }
}

function toOllamaError(e: unknown, host: string, model: string): unknown {
  if (e instanceof OllamaError) return e;
  const err = e as { name?: string; status_code?: number; error?: string; message?: string; cause?: { code?: string } };
  // ollama-js does not export ResponseError: match on name and status (the 404 text varies by version).
  if (err?.name === 'ResponseError') {
    return err.status_code === 404 ? new ModelMissing(model) : new StreamFailure(`HTTP ${err.status_code}: ${err.error ?? err.message}`);
  }
  if (err?.cause?.code === 'ECONNREFUSED') return new OllamaDown(host);
  // An `{"error": …}` line mid-stream, or a stream that ended without `done`, surfaces as a plain Error.
  if (e instanceof Error && e.name === 'Error') return new StreamFailure(e.message);
  return e;
}

function sameModel(a: string, b: string): boolean {
  const tag = (s: string): string => (s.includes(':') ? s : `${s}:latest`);
  return tag(a) === tag(b);
}

function olderThan(version: string, min: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const v = parts[i] ?? 0;
    const m = min[i] ?? 0;
    if (Number.isNaN(v)) return false; // an unparseable (dev) version: assume current
    if (v !== m) return v < m;
  }
  return false;
}
