import type { Interval } from '../intervals.ts';
import type { Meta, Spec } from '../spec/schema.ts';
import type { GateVerdict } from './gate.ts';
import type { CompileReport, OptimizationResult, WalkForwardResult } from './ports.ts';
import type { SeriesKey, SeriesRun } from './run.ts';
import type { Milestone, Phase } from './phase.ts';

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
  /** Where the research stands (phase.ts): the one value the Director's offers and the loop's transitions turn on. */
  phase: Phase;
  /** What the research has established, each once (phase.ts). */
  milestones: Set<Milestone>;
  optimization: OptimizationResult | null;
  walkForward: WalkForwardResult | null;
  regimeFacts: string[];
  /** Set by constrain_universe: the segments (sectors) the research continues in. */
  constrainedTo: string[] | null;
  /** Segments screened when the scope was narrowed (1 before): DSR's N is multiplied by it, a selection among K. */
  selectionK: number;
  /** The seed of the Director's draws: the session seed and the spec's logic (stratified screen, fresh symbols). */
  drawSeed: string;
  balance: number;
  facts: string[];
}

export function allGatesPassed(s: ResearchState, required: readonly string[]): boolean {
  return required.every((g) => s.verdicts.get(g)?.pass === true);
}

export function reached(s: Pick<ResearchState, 'milestones'>, m: Milestone): boolean {
  return s.milestones.has(m);
}
