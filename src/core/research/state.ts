import type { Interval } from '../intervals.ts';
import type { Meta, Spec } from '../spec/schema.ts';
import type { GateVerdict } from './gate.ts';
import type { CompileReport, OptimizationResult, WalkForwardResult } from './ports.ts';
import type { SeriesKey, SeriesRun } from './run.ts';

/** What the research has established so far: the input of the Director's rules and of the gates. */
export interface ResearchState {
  session: string;
  spec: Spec;
  specId: string;
  logicHash: string;
  meta: Meta;
  compile: CompileReport;
  /** The tested symbol × interval set (visible segments only until promotion). */
  keys: SeriesKey[];
  /** The interval the tested set currently runs at. */
  interval: Interval | null;
  runs: SeriesRun[];
  /** The latest verdict of each gate that has run. */
  verdicts: Map<string, GateVerdict>;
  /** Proposal ids the user vetoed, and the notes that came with them (fed back to the Director). */
  vetoed: Set<string>;
  vetoNotes: string[];
  /** Symbols the starter set still wants (the initial backtest covers one; the rest are offered next). */
  starterPending: string[];
  reviewed: boolean;
  /** Out-of-sample evidence exists (robustness gate passed): optimisation is allowed from here (I4). */
  oosPassed: boolean;
  optimized: boolean;
  /** A re-optimisation after the walk-forward has run (offered once). */
  reoptimized: boolean;
  optimization: OptimizationResult | null;
  walkForward: WalkForwardResult | null;
  regimeChecked: boolean;
  regimeFacts: string[];
  /** Set by constrain_universe: the segments (sectors) the research continues in. */
  constrainedTo: string[] | null;
  /** Segments screened when the scope was narrowed (1 before): DSR's N is multiplied by it, a selection among K. */
  selectionK: number;
  /** The seed of the Director's draws: the session seed and the spec's logic (stratified screen, fresh symbols). */
  drawSeed: string;
  holdoutOpened: boolean;
  /**
   * A FAIL on the pooled scope while some segments hold Holm's test: recorded, but the kill waits for
   * the narrowing the Director offers (declined, it kills). Null otherwise.
   */
  deferredFailure: GateVerdict | null;
  /** "insufficient evidence: …" while the latest judgement left a gate INSUFFICIENT; null otherwise. */
  insufficiency: string | null;
  balance: number;
  facts: string[];
}

export function allGatesPassed(s: ResearchState, required: readonly string[]): boolean {
  return required.every((g) => s.verdicts.get(g)?.pass === true);
}
