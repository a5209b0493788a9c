/**
 * Resuming a SUSPENDED session: the recorded part is replayed (the same machinery as
 * `research --replay`: a scratch store rebuilt from the ledger, the model's answers from the
 * transcripts, the user's decisions from their records), checked against the real ledger entry for
 * entry, and at the proposal where the user quit the loop switches to the real store, the live
 * agents and the live approver. Same spec, budget, prices and seed streams, so the whole session
 * stays replayable (docs/sessions.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { Budget } from '../core/budget/budget.ts';
import { DEFAULT_COST_TABLE } from '../core/budget/cost-table.ts';
import type { LoopDeps } from '../core/research/loop.ts';
import type { ApproverPort, DirectorPort, ReviewerPort, TranslatorPort } from '../core/research/ports.ts';
import type { LiveEvent } from '../core/research/events.ts';
import { openStore, type Store } from '../core/store/store.ts';
import { ReplayChatClient } from '../agents/ollama/replay-client.ts';
import { openUniverse } from './data-source.ts';
import type { Io } from './io.ts';
import { replayAgents } from './replay-agents.ts';
import { gapFiller, readRecording, rebuildPrefix, recordedDecisions, recordedDownloads, recordedSettings, replayClock } from './research-replay.ts';
import { researchDeps } from './research-wiring.ts';
import { resumeProblem } from './resume-list.ts';

export interface LiveAgents {
  translator: TranslatorPort;
  director: DirectorPort;
  reviewer: ReviewerPort;
  /** `rules` or `ollama:<model>@<digest>`: must be what the session recorded. */
  provenance: string;
}

export interface ResumeOptions {
  io: Io;
  /** Who decides from the suspension on (the console's inbox). */
  approver: ApproverPort;
  /** The agents of this process; the session's own recorded agents must be among them (rules always are). */
  agents: LiveAgents;
  live?: (e: LiveEvent) => void;
  signal?: AbortSignal;
  /** Told when the replayed part is verified and the session runs live again. */
  onLive?: () => void;
}

export interface Resumed {
  idea: string;
  deps: LoopDeps;
  /** Removes the scratch store; call once the loop has ended. */
  dispose(): Promise<void>;
}

export async function prepareResume(real: Store, sessionId: string, o: ResumeOptions): Promise<Resumed> {
  const problem = resumeProblem(real.get('sessions', sessionId), sessionId);
  if (problem !== null) throw new UserError(`gauntlet resume: ${problem}`, 2);
  const rec = await readRecording(real, sessionId, real.dir, o.io, 'gauntlet resume');
  const { session, block } = rec;
  if (rec.edited.length > 0) {
    throw new UserError(`gauntlet resume: session ${sessionId}'s records no longer match the ledger, so it is not resumed:\n  ${rec.edited.join('\n  ')}\n'gauntlet ledger --verify' shows every problem`, 2);
  }
  if (rec.agents !== 'rules' && rec.agents !== o.agents.provenance) {
    throw new UserError(`gauntlet resume: session ${sessionId} was answered by ${rec.agents}, this console by ${o.agents.provenance === 'rules' ? 'the rules' : o.agents.provenance}; `
      + 'start it with the same server and model (--model NAME), so the rest of the session stays replayable', 2);
  }
  const live = rec.agents === 'rules' ? null : o.agents;
  const scratchDir = mkdtempSync(join(tmpdir(), 'gauntlet-resume-'));
  const base = await openStore(scratchDir);
  const dispose = async (): Promise<void> => {
    await base.close();
    rmSync(scratchDir, { recursive: true, force: true });
  };
  try {
    await rebuildPrefix(base, real, block.start, block.reopened, sessionId);
  } catch (e) {
    await dispose();
    throw e;
  }
  const client = new ReplayChatClient(rec.transcripts);
  const replayed = replayAgents(rec.agents, client, rec.seed);
  let target: Store = replayClock(base, block.own);
  let isLive = false;
  // The loop holds one store and one set of agents for its whole life: these forward to the replay until the switch.
  const store = new Proxy(real, {
    get(_t, key) {
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const agents = live === null ? replayed : {
    translator: { translate: (...a: Parameters<TranslatorPort['translate']>) => (isLive ? live : replayed).translator.translate(...a) },
    director: { rank: (...a: Parameters<DirectorPort['rank']>) => (isLive ? live : replayed).director.rank(...a) },
    reviewer: { review: (...a: Parameters<ReviewerPort['review']>) => (isLive ? live : replayed).reviewer.review(...a) },
  };

  const goLive: ApproverPort['decide'] = async (p) => {
    if (isLive) return await o.approver.decide(p);
    // The replay must have rebuilt the store exactly: every ledger entry, hash for hash, and every model call.
    const mine = base.ledger();
    const theirs = real.ledger();
    const differs = mine.findIndex((e, i) => theirs[i]?.hash !== e.hash);
    if (differs >= 0 || mine.length !== theirs.length || client.mismatches.length > 0) {
      const at = differs >= 0 ? `ledger entry #${mine[differs]!.seq}` : mine.length !== theirs.length ? `the ledger's length (${mine.length} replayed, ${theirs.length} recorded)` : `${client.mismatches.length} model call(s)`;
      throw new UserError(`gauntlet resume: session ${sessionId} cannot be resumed: replaying it differs at ${at} (the code or the data changed since); 'gauntlet research --replay ${sessionId}' shows where`, 1);
    }
    await real.transaction((tx) => {
      const s = tx.get('sessions', sessionId)!;
      tx.put('sessions', { ...s, status: 'RUNNING', reason: null, updated_at: new Date().toISOString() });
    });
    target = real;
    isLive = true;
    o.onLive?.();
    return await o.approver.decide(p);
  };

  const deps: LoopDeps = {
    ...researchDeps({
      universe: openUniverse(o.io, rec.universeDir), store,
      approver: recordedDecisions(rec.decisions, { before: gapFiller(real, base, sessionId), after: goLive }),
      seed: rec.seed, budget: new Budget({ credits: session.budget.credits, prices: { ...DEFAULT_COST_TABLE, ...session.budget.prices } }, session.budget.prices), mode: session.mode, io: o.io,
      ...recordedSettings(rec.provenance, sessionId),
      // Downloads before the suspension come from the record; new ones after it are fetched.
      downloads: { recorded: recordedDownloads(rec.block.own, sessionId), live: true },
      ...(o.signal === undefined ? {} : { signal: o.signal }),
      ...(o.live === undefined ? {} : { live: o.live }),
    }),
    translator: agents.translator, director: agents.director, reviewer: agents.reviewer,
    provenance: rec.provenance,
  };
  return { idea: rec.idea, deps, dispose };
}
