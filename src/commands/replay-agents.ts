import type { DirectorPort, ReviewerPort, TranscriptSink, TranslatorPort } from '../core/research/ports.ts';
import { UserError } from '../core/errors.ts';
import type { ReplayChatClient } from '../agents/ollama/replay-client.ts';
import { modelRoles, rulesAgents } from './agents-wiring.ts';

export interface ReplayAgents {
  translator: TranslatorPort;
  director: DirectorPort;
  reviewer: ReviewerPort;
}

/** A replay's own calls are not worth keeping: the scratch store they would go to is thrown away. */
const DISCARD: TranscriptSink = { record: async () => undefined };

/**
 * The agents a replay answers with: the rules for a session the rules answered, or the same model
 * roles a live session builds (modelRoles), over the session's transcripts instead of a server.
 */
export function replayAgents(provenance: string, client: ReplayChatClient, seed: number): ReplayAgents {
  if (provenance === 'rules') return rulesAgents();
  const m = /^ollama:(.+?)(?:@[0-9a-f]+)?$/.exec(provenance) ?? /^openai:(.+)$/.exec(provenance);
  if (m === null) throw new UserError(`the session records its agents as "${provenance}", which this version cannot replay`, 2);
  const settings = client.recordedSettings();
  const kind = provenance.startsWith('openai:') ? 'openai' as const : 'ollama' as const;
  return modelRoles({ client, model: m[1]!, seed, sink: DISCARD, kind, ...(settings === null ? {} : { settings }) });
}
