import type { Budget, SessionMode } from '../core/budget/budget.ts';
import { MarketFitTranslator } from './market-fit.ts';
import type { Store } from '../core/store/store.ts';
import type { LiveEvent } from '../core/research/events.ts';
import type { LoopDeps } from '../core/research/loop.ts';
import type { ApproverPort, DirectorPort, ReviewerPort, TranslatorPort } from '../core/research/ports.ts';
import { rulesPolicy } from '../core/director/policy.ts';
import { gatesJudge } from '../core/gates/judge.ts';
import { scopedUniverse, type ResearchScope } from '../core/research/scope.ts';
import type { VersionedGateConfig } from '../core/gates/config.ts';
import type { Universe } from '../engine/data/universe.ts';
import { createEngine } from '../engine/research/engine-adapter.ts';
import { ResearchDownloads } from '../engine/data/download/research.ts';
import type { DownloadRecord } from '../core/research/download-record.ts';
import { RulesDirector, RulesReviewer, RulesTranslator } from '../agents/rules/index.ts';
import type { Io } from './io.ts';

export interface WiringOptions {
  universe: Universe;
  store: Store;
  approver: ApproverPort;
  seed: number;
  budget: Budget;
  mode: SessionMode;
  io: Io;
  signal?: AbortSignal;
  /** The agents (see agents-wiring.ts resolveAgents); the rules when absent. */
  agents?: { translator: TranslatorPort; director: DirectorPort; reviewer: ReviewerPort };
  /** Recorded with the translation: `{ agents, universe, model? }`, what a replay needs besides the store. */
  provenance?: LoopDeps['provenance'];
  /** A model's reply as it streams in, for a console. */
  live?: (e: LiveEvent) => void;
  /** The gate config and its version (`--gates FILE`); the gates@2 defaults when absent. */
  gates?: VersionedGateConfig;
  /** `--fees` / `--slippage`: replace the translated spec's costs. */
  costs?: LoopDeps['costs'];
  /** `--symbols` / `--sector` / `--interval`: what the Director may test. */
  scope?: ResearchScope;
  /**
   * The session's recorded downloads (replay, resume: answered from the record, never fetched again) and
   * whether new ones go to the network (false: a replay). Default: none recorded, live.
   */
  downloads?: { recorded: readonly DownloadRecord[]; live: boolean };
}

/** The composition root of a research session: real engine, the given (or deterministic) agents, rule Director, gates. */
export function researchDeps(o: WiringOptions): LoopDeps {
  const downloads = new ResearchDownloads({
    universe: o.universe, recorded: o.downloads?.recorded ?? [], live: o.downloads?.live ?? true,
    baseUrl: o.io.env.GAUNTLET_DOWNLOAD_BASE_URL === '' ? undefined : o.io.env.GAUNTLET_DOWNLOAD_BASE_URL,
    load: { env: o.io.env, cwd: o.io.cwd },
  });
  const engine = createEngine(o.universe, { downloads });
  const scope = o.scope ?? {};
  const view = scopedUniverse(engine.universe(), scope);
  return {
    engine: { ...engine, universe: () => view },
    // The spec's market fitted to the data in scope, or refused before the session is recorded.
    translator: new MarketFitTranslator(o.agents?.translator ?? new RulesTranslator(), view),
    director: o.agents?.director ?? new RulesDirector(),
    reviewer: o.agents?.reviewer ?? new RulesReviewer(),
    approver: o.approver,
    policy: rulesPolicy({ table: o.budget.config.prices }),
    judge: gatesJudge(o.gates),
    store: o.store,
    budget: o.budget,
    seed: o.seed,
    mode: o.mode,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    ...(o.provenance === undefined ? {} : { provenance: o.provenance }),
    ...(o.live === undefined ? {} : { live: o.live }),
    ...(o.costs === undefined ? {} : { costs: o.costs }),
  };
}
