import type { Budget, SessionMode } from '../core/budget/budget.ts';
import type { Store } from '../core/store/store.ts';
import type { LoopDeps } from '../core/research/loop.ts';
import type { ApproverPort } from '../core/research/ports.ts';
import { rulesPolicy } from '../core/director/policy.ts';
import { gatesJudge } from '../core/gates/judge.ts';
import type { Universe } from '../engine/data/universe.ts';
import { createEngine } from '../engine/research/engine-adapter.ts';
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
}

/** The composition root of a research session: real engine, deterministic agents, rule Director, gates. */
export function researchDeps(o: WiringOptions): LoopDeps {
  return {
    engine: createEngine(o.universe),
    translator: new RulesTranslator(),
    director: new RulesDirector(),
    reviewer: new RulesReviewer(),
    approver: o.approver,
    policy: rulesPolicy({ table: o.budget.config.prices }),
    judge: gatesJudge(),
    store: o.store,
    budget: o.budget,
    seed: o.seed,
    mode: o.mode,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  };
}
