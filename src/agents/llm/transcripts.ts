import type { TranscriptSink } from '../../core/research/ports.ts';
import type { TranscriptRecord } from '../../core/store/schema.ts';
import type { TranscriptText } from '../../core/store/transcript-bodies.ts';
import type { TranscriptEntry } from '../ollama/structured.ts';

/**
 * Turns structuredCall's per-attempt entries into stored transcript records (DESIGN §6: every call,
 * failures included) and hands them to the sink. Ids are `<session>-llm<n>`, counted per session,
 * so they are unique in the store (a session id is) and readable in a review's `transcript_id`.
 */
export class TranscriptLog {
  private readonly counts = new Map<string, number>();
  /** Outside a session (a bare agent call) ids carry the start time instead, to stay unique across runs. */
  private readonly loose = `x${Date.now().toString(36)}`;

  /**
   * `sink.has`, when the sink can tell, skips ids already stored: a session whose translation failed
   * left transcripts under an id the next session reuses (no session record was written).
   */
  constructor(private readonly sink: TranscriptSink & { has?: (id: string) => boolean }, private readonly server?: TranscriptRecord['server']) {}

  /** Stores one structured call's attempts, in order; returns their ids. A store failure propagates. */
  async store(entries: readonly TranscriptEntry[], session: string | undefined): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, e] of entries.entries()) {
      const id = this.nextId(session);
      const record: TranscriptText = {
        id, session: session ?? null, created_at: new Date().toISOString(), role: e.role, model: e.model,
        model_digest: e.model_digest, options: { ...e.options }, prompt_hash: e.prompt_hash, prompt: e.request,
        response: e.response, attempt: i + 1, started_at: e.started_at, ms: e.ms, outcome: e.outcome, detail: e.detail,
        ...(e.think === undefined ? {} : { think: e.think }),
        ...(e.thinking === undefined ? {} : { thinking: e.thinking }),
        ...(e.usage === undefined ? {} : { usage: e.usage }),
        ...(e.prompt_estimate === undefined ? {} : { prompt_estimate: e.prompt_estimate }),
        ...(e.not_sent === true ? { not_sent: true as const } : {}),
        ...(this.server === undefined ? {} : { server: this.server }),
      };
      await this.sink.record(record);
      ids.push(id);
    }
    return ids;
  }

  private nextId(session: string | undefined): string {
    const key = session ?? this.loose;
    let n = this.counts.get(key) ?? 0;
    let id: string;
    do {
      n += 1;
      id = `${key}-llm${n}`;
    } while (this.sink.has?.(id) === true);
    this.counts.set(key, n);
    return id;
  }
}
