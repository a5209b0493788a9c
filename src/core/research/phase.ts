import type { FinalStatus, SegmentTable } from './events.ts';
import { failureReason, insufficiencyReason, type GateVerdict } from './gate.ts';

/**
 * The research loop as a state machine (docs/director.md). Where a session stands is one value, the
 * phase; what it has established along the way is a set of milestones; and how it ends is a value,
 * an Ending, returned by the step that ends it. The transitions between phases are the functions
 * below: pure, so each is tested on its own, and the loop only applies them.
 *
 *   start ──initial backtest──▶ starter ──rest of the screen──▶ (judged)
 *   (judged) ──FAIL, some segments hold Holm──▶ diluted ──constrain_universe──▶ (judged)
 *   (judged) ──FAIL──▶ DEAD        (judged) ──INSUFFICIENT──▶ insufficient ──evidence──▶ (judged)
 *   (judged) ──PASS/undecided──▶ research ──promote──▶ PROMOTED | DEAD
 *   any phase ──kill, nothing payable, budget spent──▶ KILLED | FROZEN | DEAD (diluted)
 */
export type Phase =
  /**
   * Nothing has run: the Director offers the initial backtest of the stratified screen's first symbol;
   * `rest` is the rest of the screen once drawn (empty before the draw, or when the screen is one symbol).
   */
  | { readonly kind: 'start'; readonly rest: readonly string[] }
  /** The stratified starter screen is incomplete: its rest is offered, and nothing is judged until it is complete. */
  | { readonly kind: 'starter'; readonly pending: readonly string[] }
  /**
   * A gate FAILed on the pooled scope while some segments (not all) hold Holm's test: the dilution a
   * narrower scope removes. Only the narrowing is offered; declined or unaffordable, the failure kills.
   */
  | { readonly kind: 'diluted'; readonly failure: GateVerdict; readonly holding: readonly string[] }
  /** A gate is INSUFFICIENT: the cheapest evidence is offered; none affordable, the session freezes saying what is missing. */
  | { readonly kind: 'insufficient'; readonly reason: string }
  /** Judged with nothing failed or missing: deepen, test, tune, or promote once every gate passed. */
  | { readonly kind: 'research' };

export type PhaseKind = Phase['kind'];

/** What the research has established; each is reached once and never undone. */
export type Milestone =
  /** The Reviewer has seen the evidence (I1: the logic is frozen from here). */
  | 'reviewed'
  /** The robustness gate passed out of sample: tuning is allowed (I4). */
  | 'oos_passed'
  | 'optimized'
  /** The re-optimisation after a walk-forward, offered once. */
  | 'reoptimized'
  | 'regime_checked'
  /** This strategy family's holdout was opened, in this session or an earlier one (I5). */
  | 'holdout_opened';

/** How a session ends: the final status and the reason users read. */
export interface Ending {
  readonly status: FinalStatus;
  readonly reason: string;
}

export function ending(status: FinalStatus, reason: string): Ending {
  return { status, reason };
}

export function isEnding(x: unknown): x is Ending {
  return typeof x === 'object' && x !== null && 'status' in x && 'reason' in x;
}

/**
 * After a judgement: the first FAIL kills, unless the scope is not narrowed yet and some segments
 * (not all) hold Holm's test — then the narrowing is offered first (diluted). An INSUFFICIENT gate
 * asks for evidence; otherwise the research goes on.
 */
export function afterJudgement(verdicts: readonly GateVerdict[], table: SegmentTable, narrowed: boolean): Phase | Ending {
  const failed = verdicts.find((v) => v.verdict === 'FAIL');
  if (failed !== undefined) {
    const holding = table.rows.filter((r) => r.holds).map((r) => r.segment);
    if (!narrowed && holding.length > 0 && holding.length < table.rows.length) return { kind: 'diluted', failure: failed, holding };
    return ending('DEAD', failureReason(failed));
  }
  const open = verdicts.filter((v) => v.verdict === 'INSUFFICIENT');
  return open.length > 0 ? { kind: 'insufficient', reason: insufficiencyReason(open) } : { kind: 'research' };
}

/**
 * When the Director has nothing left the balance can pay for (or the user vetoed it all): a deferred
 * pooled FAIL stands; missing evidence freezes saying what is missing; otherwise the limit is the reason.
 */
export function whenNothingOffered(phase: Phase, limit: string): Ending {
  if (phase.kind === 'diluted') return ending('DEAD', failureReason(phase.failure));
  if (phase.kind === 'insufficient') return ending('FROZEN', `${phase.reason} — ${limit.replace('the Director has nothing left to propose', 'the scope has no more symbols or intervals to add')}`);
  return ending('FROZEN', limit);
}

/** After the initial backtest: the rest of the screen to run, or straight to the judgement. */
export function afterInitial(phase: Phase): Phase {
  const rest = phase.kind === 'start' ? phase.rest : [];
  return rest.length > 0 ? { kind: 'starter', pending: rest } : { kind: 'research' };
}

/** The starter symbols still to run, or none outside the starter phase. */
export function pendingOf(phase: Phase): readonly string[] {
  return phase.kind === 'starter' ? phase.pending : [];
}
