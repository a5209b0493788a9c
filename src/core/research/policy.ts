import type { Interval } from '../intervals.ts';
import type { Meta } from '../spec/schema.ts';
import type { GateVerdict } from './gate.ts';
import type { CandidateProposal, CausalityReport, CompileReport, OptimizationResult, ReviewInput, UniverseView, WalkForwardResult } from './ports.ts';
import type { RegimeLabels, SeriesRun } from './run.ts';
import type { ResearchState } from './state.ts';
import type { SegmentTable } from './events.ts';

/** The Director's rules as the loop uses them (implemented in src/core/director). */
export interface Policy {
  /** The stratified starter screen, drawn with `seed` (the session seed and the spec's logic). */
  initialSelection(meta: Meta, universe: UniverseView, seed: string): { symbols: string[]; interval: Interval; segments: Array<{ segment: string; symbols: string[] }> };
  /** Every proposal the rules allow now, priced from the cost table, in the rules' order. */
  proposeNext(state: ResearchState, universe: UniverseView): CandidateProposal[];
  /** The per-segment screen of the tested set, Holm-adjusted (docs/director.md). */
  segments(state: ResearchState): SegmentTable;
  /** Code-computed facts for the Director and the Reviewer (sector aggregates …; with the universe, why a wanted interval's bars are not offered as a download). */
  facts(state: ResearchState, universe?: UniverseView): string[];
  /** Checks a timeframe change against the ladder (I3); throws an InvariantError. */
  ladderCheck(from: Interval, to: Interval): void;
  anonymise(state: ResearchState): ReviewInput;
  /** Numbers quoted in a reviewer's text that its input does not contain (flagged, never trusted). */
  unsupportedNumbers(text: string, input: ReviewInput): string[];
  regimeFacts(runs: SeriesRun[], labels: RegimeLabels[]): string[];
}

export interface JudgeInput {
  runs: SeriesRun[];
  meta: Meta;
  compile: CompileReport;
  causality: CausalityReport;
  /** The effective number of trials on overlapping data in the store, the family's own, and their Sharpe variance (DSR). */
  trials: { storeN: number; familyN: number; variance: number; how: string };
  /** Symbols in the research scope: viability's scope trade rate scales the per-symbol rate by it. */
  scopeSymbols: number;
  optimization: OptimizationResult | null;
  walkForward: WalkForwardResult | null;
  seed: number;
}

/** The gates as the loop uses them (implemented in src/core/gates): each verdict carries every measured value. */
export interface Judge {
  complexity(report: CompileReport): GateVerdict;
  /** Every gate that judges runs, in order; the loop kills at the first FAIL (INSUFFICIENT buys evidence). */
  judge(input: JudgeInput): GateVerdict[];
  /** The gate config version every verdict names, and the config's hash. */
  readonly version: string;
  readonly configHash: string;
  /** The one-look confirmation on the fresh-symbol leg and the sealed holdout leg (docs/gates.md). */
  confirmation(fresh: SeriesRun[], held: SeriesRun[]): GateVerdict;
  /** The confirmation's t threshold, written into the registration before the look. */
  readonly confirmationMinT: number;
  /** Gates that must all have passed before promotion (I5). */
  readonly required: readonly string[];
  /** Per-bar Sharpe of the equal-weight portfolio of the runs: the value a trial is recorded with. */
  pooledSharpe(runs: SeriesRun[]): number;
}
