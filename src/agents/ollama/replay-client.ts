import { sha256 } from '../../core/spec/hash.ts';
import type { TranscriptText } from '../../core/store/transcript-bodies.ts';
import type { ChatClient, ChatRequest, ChatResult, Think } from './ollama-client.ts';
import { Aborted, StreamFailure } from './errors.ts';
import { canonicalRequest } from './structured.ts';

/** A request the recorded session never made: the prompts, the data or the code changed since. */
export interface ReplayMismatch {
  /** 1-based number of the chat call in the replay. */
  call: number;
  model: string;
  /** The first 200 characters of the unmatched request, for the report. */
  request: string;
}

/**
 * Answers chat calls from a session's stored transcripts, so the session can be re-run without a
 * model (DESIGN §6). Each request must equal, byte for byte, one the session made: its sha256 must be
 * a recorded prompt_hash (the hash of the canonical request structuredCall records, which the
 * ledger binds through the session's records digest); each recorded attempt answers once, in the order recorded,
 * and a recorded failure fails again, so the same fallbacks happen. A request with no recorded
 * answer is kept in `mismatches` and fails like a dead server: the replay then differs, and the
 * command reports this, the first cause, before the ledger difference it leads to.
 */
export class ReplayChatClient implements ChatClient {
  readonly mismatches: ReplayMismatch[] = [];
  private readonly unused: TranscriptText[];
  /** Digests of models already served, once their transcripts are used up. */
  private readonly digests = new Map<string, string | null>();
  private calls = 0;

  constructor(transcripts: readonly TranscriptText[]) {
    // A call refused before it was sent (over budget) is refused again by the same code, never asked.
    this.unused = transcripts.filter((t) => t.not_sent !== true);
  }

  knownDigest(model: string): string | null {
    return this.unused.find((t) => t.model === model)?.model_digest ?? this.digests.get(model) ?? null;
  }

  /**
   * num_ctx and think as the session sent them (both are part of the request a replay must match),
   * read from its first recorded call; null when it recorded none (every call then fails alike).
   */
  recordedSettings(): { numCtx: number; think?: Think } | null {
    const first = this.unused[0];
    if (first === undefined) return null;
    let asked: { options?: { num_ctx?: unknown }; think?: unknown };
    try {
      asked = JSON.parse(first.prompt) as typeof asked;
    } catch {
      return null;
    }
    const numCtx = typeof asked.options?.num_ctx === 'number' ? asked.options.num_ctx : null;
    if (numCtx === null) return null;
    const think = asked.think;
    return { numCtx, ...(typeof think === 'boolean' || think === 'low' || think === 'medium' || think === 'high' ? { think } : {}) };
  }

  /** Recorded attempts no replayed call asked for. */
  remaining(): number {
    return this.unused.length;
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    this.calls += 1;
    if (req.signal?.aborted === true) throw new Aborted();
    const request = canonicalRequest({ model: req.model, messages: req.messages, format: req.format, options: req.options, ...(req.think === undefined ? {} : { think: req.think }) });
    const hash = sha256(request);
    const i = this.unused.findIndex((t) => t.prompt_hash === hash);
    if (i < 0) {
      this.mismatches.push({ call: this.calls, model: req.model, request: request.slice(0, 200) });
      throw new StreamFailure(`replay: call #${this.calls} was not made by the recorded session`);
    }
    const [t] = this.unused.splice(i, 1) as [TranscriptText];
    this.digests.set(t.model, t.model_digest);
    if (t.outcome === 'error') throw new StreamFailure(`replayed failure: ${t.detail ?? 'unknown'}`);
    if (t.thinking !== undefined && t.thinking !== '') req.onThinking?.(t.thinking);
    if (t.response !== '') req.onChunk?.(t.response);
    const truncated = t.outcome === 'truncated';
    return { content: t.response, thinking: t.thinking ?? '', doneReason: truncated ? 'length' : 'stop', truncated, model: t.model, usage: t.usage ?? null };
  }
}
