import { Ollama } from 'ollama';
import type { Usage } from '../../core/store/schema.ts';
import type { Message } from 'ollama';
import { ModelMissing, OllamaDown, OllamaError, Runaway, StreamFailure, Timeout } from './errors.ts';
import { RunawayWatch } from './runaway.ts';
import { DEFAULT_TIMEOUTS, guardCall } from './transport.ts';
import type { Timeouts } from './transport.ts';

export type { Message } from 'ollama';

/** Ollama added JSON-schema `format` (structured outputs) in 0.5.0. */
const STRUCTURED_OUTPUT_SINCE = [0, 5, 0] as const;

export type OllamaStatus =
  | { state: 'ok'; model: string; digest: string; version: string; label: string; facts: ModelFacts }
  | { state: 'down'; message: string }
  | { state: 'missing_model'; message: string }
  | { state: 'no_structured_output'; message: string };

/** What /api/show and /api/tags say about a model, for the session's settings (think, num_ctx, privacy). */
export interface ModelFacts {
  /** /api/show `capabilities`; null from servers that predate the field. */
  capabilities: string[] | null;
  /** `<arch>.context_length` from /api/show `model_info`; null when absent. */
  contextLength: number | null;
  family: string | null;
  /** /api/tags `remote_host`: set for an Ollama cloud model, whose prompts leave this machine. */
  remoteHost: string | null;
}

export type Think = boolean | 'low' | 'medium' | 'high';

export interface ChatRequest {
  model: string;
  messages: Message[];
  /** A JSON schema (structured outputs) or 'json'. */
  format?: string | Record<string, unknown>;
  options?: Record<string, unknown>;
  /** Ollama's `think`; absent = the server's default (sent only to models that can think). */
  think?: Think;
  /** How long the server keeps the model loaded after the call (`keep_alive`). */
  keepAlive?: string;
  /** false = the server refuses a prompt longer than num_ctx instead of cutting it (Ollama ≥ 0.12, ignored before). */
  truncate?: boolean;
  signal?: AbortSignal;
  /** Called with the whole text so far after every non-empty chunk, so a UI can show progress. */
  onChunk?: (textSoFar: string) => void;
  /** Called with the thinking so far while a thinking model thinks (its `thinking` field). */
  onThinking?: (thinkingSoFar: string) => void;
  timeouts?: Partial<Timeouts>;
}

/** One installed model, as /api/tags lists it. */
export interface InstalledModel {
  name: string;
  digest: string;
  modified_at: string;
  /** `remote_host` of an Ollama cloud model; null for a model on this server. */
  remoteHost: string | null;
}

/** Token counts and durations from the final chunk (Ollama reports nanoseconds; Usage holds ms). */
export type { Usage };

export interface ChatResult {
  content: string;
  /** The `thinking` field's text ('' when the model did not think, or thought inside `content`). */
  thinking: string;
  /** `stop`, or `length` when num_predict or the context cut the reply: see `truncated`. */
  doneReason: string;
  truncated: boolean;
  model: string;
  usage: Usage | null;
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

type CallOpts = { signal?: AbortSignal; timeouts?: Partial<Timeouts> };

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

  /**
   * Streams a chat reply (stream: true, so the idle-gap timeout can watch it) and returns the whole
   * text. A runaway (a long whitespace run, a loop) stops the stream with a Runaway error.
   */
  async chat(req: ChatRequest): Promise<ChatResult> {
    return this.call(req.model, req.signal, req.timeouts, async (ollama, fail) => {
      const stream = await ollama.chat({
        model: req.model,
        messages: req.messages,
        stream: true,
        ...(req.format === undefined ? {} : { format: req.format }),
        ...(req.options === undefined ? {} : { options: req.options }),
        ...(req.think === undefined ? {} : { think: req.think }),
        ...(req.keepAlive === undefined ? {} : { keep_alive: req.keepAlive }),
        // Not in ollama-js's types; the server reads it from the body (routes.go ChatHandler).
        ...(req.truncate === undefined ? {} : { truncate: req.truncate }),
      } as Parameters<Ollama['chat']>[0] & { stream: true });
      const watch = new RunawayWatch();
      const thinkingWatch = new RunawayWatch();
      let content = '';
      let thinking = '';
      let doneReason = '';
      let usage: Usage | null = null;
      for await (const part of stream) {
        const thought = part.message?.thinking ?? '';
        if (thought !== '') {
          thinking += thought;
          req.onThinking?.(thinking);
          const ran = thinkingWatch.check(thinking);
          if (ran !== null) throw fail(new Runaway(`thinking: ${ran.what}`, ran.chars));
        }
        const piece = part.message?.content ?? '';
        if (piece !== '') {
          content += piece;
          req.onChunk?.(content);
          const ran = watch.check(content);
          if (ran !== null) throw fail(new Runaway(ran.what, ran.chars));
        }
        if (part.done) {
          doneReason = part.done_reason ?? 'stop';
          usage = usageOf(part);
        }
      }
      return { content, thinking, doneReason, truncated: doneReason === 'length', model: req.model, usage };
    });
  }

  /**
   * Loads the model into memory and keeps it there for `keepAlive` (a chat with no messages: Ollama
   * answers done_reason "load"). A slow load then costs the session once, here, under the first-byte
   * timeout, instead of on a role's first call. Returns how long it took, in ms.
   */
  async preload(model: string, keepAlive: string, opts: CallOpts = {}): Promise<number> {
    const t0 = Date.now();
    await this.call(model, opts.signal, opts.timeouts, async (ollama) => {
      await ollama.chat({ model, messages: [], keep_alive: keepAlive, stream: false });
    });
    return Date.now() - t0;
  }

  /** The installed models (/api/tags). Throws OllamaDown or Timeout when nothing answers. */
  async listModels(opts: CallOpts = {}): Promise<InstalledModel[]> {
    return this.call('', opts.signal, opts.timeouts, async (ollama) => {
      const tags = await ollama.list();
      return tags.models.map((m) => ({ name: m.name, digest: m.digest, modified_at: String(m.modified_at), remoteHost: remoteHostOf(m) }));
    });
  }

  /** /api/show's capabilities for a model (null when the server does not list them). */
  async capabilities(model: string, opts: CallOpts = {}): Promise<string[] | null> {
    return this.call(model, opts.signal, opts.timeouts, async (ollama) => {
      const show = await ollama.show({ model });
      return (show as { capabilities?: string[] }).capabilities ?? null;
    });
  }

  /** Is Ollama up, is the model installed, can it do structured output? Never throws for those. */
  async status(model: string, opts: CallOpts = {}): Promise<OllamaStatus> {
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
        const facts: ModelFacts = {
          capabilities: caps ?? null, contextLength: contextLengthOf(show.model_info), family: show.details?.family ?? null, remoteHost: remoteHostOf(entry),
        };
        return { state: 'ok', model, digest: entry.digest, version, label: `${model}@${entry.digest.slice(0, 12)}`, facts };
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
    body: (ollama: Ollama, fail: (err: OllamaError) => OllamaError) => Promise<T>): Promise<T> {
    const guard = guardCall(this.host, { ...this.timeouts, ...timeouts }, signal);
    const fail = (err: OllamaError): OllamaError => {
      guard.fail(err);
      return err;
    };
    try {
      return await body(new Ollama({ host: this.host, fetch: guard.fetch }), fail);
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

function remoteHostOf(entry: object): string | null {
  const r = (entry as { remote_host?: unknown }).remote_host;
  return typeof r === 'string' && r !== '' ? r : null;
}

/** `<architecture>.context_length`, the model's trained window (the most num_ctx may ask for). */
function contextLengthOf(info: unknown): number | null {
  if (info === null || typeof info !== 'object') return null;
  const entries = Object.entries(info as Record<string, unknown>);
  const hit = entries.find(([k, v]) => k.endsWith('.context_length') && typeof v === 'number' && v > 0);
  return hit === undefined ? null : (hit[1] as number);
}

const NS_PER_MS = 1e6;

function usageOf(part: { prompt_eval_count?: number; eval_count?: number; total_duration?: number; load_duration?: number }): Usage {
  const ms = (ns: number | undefined): number | null => (typeof ns === 'number' ? Math.round(ns / NS_PER_MS) : null);
  return {
    prompt_tokens: typeof part.prompt_eval_count === 'number' ? part.prompt_eval_count : null,
    completion_tokens: typeof part.eval_count === 'number' ? part.eval_count : null,
    total_ms: ms(part.total_duration), load_ms: ms(part.load_duration),
  };
}
