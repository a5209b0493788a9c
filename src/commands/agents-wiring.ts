import type { Store } from '../core/store/store.ts';
import type { DirectorPort, ReviewerPort, TranscriptSink, TranslatorPort } from '../core/research/ports.ts';
import { RulesDirector, RulesReviewer, RulesTranslator } from '../agents/rules/index.ts';
import type { Io } from './io.ts';

/**
 * Which agents answer a session: Ollama-backed roles (each falling back to its rules) or the rules
 * alone. The research command and the console both wire their agents through here.
 */

export interface AgentsOptions {
  /** `--offline`: never contact Ollama. */
  offline: boolean;
  /** `--ollama URL` (then OLLAMA_HOST from io.env, then config). */
  ollama?: string;
  /** `--model NAME` (then config). */
  model?: string;
  io: Io;
  /** Where every model call is stored. */
  sink: TranscriptSink;
  seed: number;
  signal?: AbortSignal;
}

export type AgentsStatus =
  | { state: 'offline' }
  | { state: 'ok'; model: string; digest: string }
  | { state: 'down' | 'missing_model' | 'no_structured_output' | 'no_model'; message: string };

export interface Agents {
  translator: TranslatorPort;
  director: DirectorPort;
  reviewer: ReviewerPort;
  status: AgentsStatus;
  /** For a header: `model@digest12`, or `offline — rules`. */
  label: string;
  /** One line for the user when Ollama was asked for and cannot answer (what to do about it); null otherwise. */
  message: string | null;
  /** What the translate record stores as provenance (`rules`, or `ollama:<model>@<digest>`). */
  provenance: string;
}

export function rulesAgents(status: AgentsStatus = { state: 'offline' }, message: string | null = null): Agents {
  return {
    translator: new RulesTranslator(),
    director: new RulesDirector(),
    reviewer: new RulesReviewer(),
    status,
    label: 'offline — rules',
    message,
    provenance: 'rules',
  };
}

/** Resolves the agents for a session. Until the Ollama roles land, every mode answers with the rules. */
export async function resolveAgents(o: AgentsOptions): Promise<Agents> {
  if (o.offline) return rulesAgents();
  return rulesAgents({ state: 'down', message: 'Ollama agents are not wired yet: answering with rules' }, 'Ollama agents are not wired yet: answering with rules');
}

/** Stores each transcript as it arrives, so a crash keeps every call made before it. */
export function storeSink(store: Store): TranscriptSink {
  return {
    record: async (t) => {
      await store.transaction((tx) => { tx.append('transcripts', t); });
    },
  };
}
