import type { DirectorPort, ReviewerPort, TranslatorPort } from '../core/research/ports.ts';
import { UserError } from '../core/errors.ts';
import type { ReplayChatClient } from '../agents/ollama/replay-client.ts';
import { rulesAgents } from './agents-wiring.ts';

export interface ReplayAgents {
  translator: TranslatorPort;
  director: DirectorPort;
  reviewer: ReviewerPort;
}

/**
 * The agents a replay answers with: the rules for a session the rules answered, or the Ollama roles
 * over the session's transcripts (no server) for one a model answered.
 */
export function replayAgents(provenance: string, _client: ReplayChatClient, _seed: number): ReplayAgents {
  if (provenance === 'rules') return rulesAgents();
  throw new UserError(`replay of sessions answered by ${provenance} is not wired yet`, 2);
}
