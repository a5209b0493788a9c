import type { DirectorPort, ReviewerPort, TranscriptSink, TranslatorPort } from '../../core/research/ports.ts';
import type { ChatClient } from '../ollama/ollama-client.ts';
import type { Timeouts } from '../ollama/transport.ts';
import { RulesDirector, RulesReviewer, RulesTranslator } from '../rules/index.ts';
import type { TranscriptRecord } from '../../core/store/schema.ts';
import type { SessionSettings } from './ask.ts';
import { OllamaDirector } from './director.ts';
import { FallbackDirector, FallbackReviewer, type FallbackNotice } from './fallback.ts';
import { OllamaReviewer } from './reviewer.ts';
import { TranscriptLog } from './transcripts.ts';
import { OllamaTranslator, RulesFirstTranslator, type TranslatorOptions } from './translator.ts';

export { ModelCallFailed, NUM_CTX, NUM_PREDICT, numPredictFor, type ModelContext, type SessionSettings } from './ask.ts';
export { directorSchemas, directorRequest, OllamaDirector, DIRECTOR_PROMPT_VERSION } from './director.ts';
export { BREAKER_AFTER, FallbackDirector, FallbackReviewer, type FallbackNotice } from './fallback.ts';
export { OllamaReviewer, reviewerRequest, REVIEWER_PROMPT_VERSION } from './reviewer.ts';
export { modelLabel, ollamaSource, openaiSource, DIGEST_PREFIX } from './source.ts';
export { TranscriptLog } from './transcripts.ts';
export { OllamaTranslator, RulesFirstTranslator, translatorRequest, TRANSLATOR_PROMPT_VERSION } from './translator.ts';
export { TranslatorWireSchema, translatorFullSchema } from './translator-schema.ts';

export interface ModelAgentsOptions {
  /** Ollama, or a replay of a session's transcripts. */
  client: ChatClient;
  model: string;
  seed: number;
  /** With `has`, transcript ids already stored are skipped (see TranscriptLog). */
  sink: TranscriptSink & { has?: (id: string) => boolean };
  timeouts?: Partial<Timeouts>;
  /** num_ctx, think, keep_alive for every call of the session (a replay reads them from the transcripts). */
  settings?: SessionSettings;
  /** Who answers, stored with every transcript. */
  server?: TranscriptRecord['server'];
  /** The server kind (default ollama): names the results' source; a replay passes the recorded one. */
  kind?: 'ollama' | 'openai';
  check?: TranslatorOptions['check'];
  /** Told each time the Director or the Reviewer falls back to its rules (a translation the model cannot make fails with both reasons instead). */
  onFallback?: (n: FallbackNotice) => void;
}

/** The three roles on a model, each falling back to its rules implementation (the translator asks the rules first). */
export function modelAgents(o: ModelAgentsOptions): { translator: TranslatorPort; director: DirectorPort; reviewer: ReviewerPort } {
  const ctx = {
    client: o.client, model: o.model, seed: o.seed, log: new TranscriptLog(o.sink, o.server),
    ...(o.timeouts === undefined ? {} : { timeouts: o.timeouts }),
    ...(o.settings === undefined ? {} : { settings: o.settings }),
    ...(o.kind === undefined ? {} : { kind: o.kind }),
  };
  const notify = o.onFallback ?? (() => undefined);
  return {
    translator: new RulesFirstTranslator(new RulesTranslator(), new OllamaTranslator(ctx, o.check === undefined ? {} : { check: o.check })),
    director: new FallbackDirector(new OllamaDirector(ctx), new RulesDirector(), notify),
    reviewer: new FallbackReviewer(new OllamaReviewer(ctx), new RulesReviewer(), notify),
  };
}
