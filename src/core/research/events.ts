import type { CompileReport, CandidateProposal } from './ports.ts';
import type { GateVerdict } from './gate.ts';
import type { Metrics, Segment, SeriesKey } from './run.ts';

/** The nine stages of DESIGN §1, in order; each has a pane in the console. */
export const STAGES = ['idea', 'translator', 'spec', 'compiler', 'director', 'engine', 'gates', 'reviewer', 'decision'] as const;
export type Stage = (typeof STAGES)[number];

export type FinalStatus = 'DEAD' | 'FROZEN' | 'KILLED' | 'PROMOTED';

/** One segment (sector) of the per-segment screen: the edge's clustered t there, Holm-adjusted over the K screened. */
export interface SegmentRow {
  segment: string;
  symbols: number;
  trades: number;
  clusters: number;
  /** Mean excess trade return; null without trades. */
  mean_excess: number | null;
  /** Clustered t; null below two clusters. */
  t: number | null;
  /** One-sided p of t (1 below the minimum sample). */
  p: number;
  /** Holm-adjusted p over the K segments of the table. */
  p_holm: number;
  /** The minimum sample is met and p_holm ≤ alpha. */
  holds: boolean;
}

export interface SegmentTable {
  rows: SegmentRow[];
  /** Segments screened: the size of the Holm family, and the selection's multiplier for DSR's N. */
  k: number;
  alpha: number;
}

/** What the ledger's registration fixed before the confirmation opened (docs/gates.md). */
export interface Registration {
  seq: number;
  spec_id: string;
  interval: string;
  segments: string[];
  screened: string[];
  fresh: string[];
  /** Why the fresh leg is empty, when it is. */
  fresh_skipped: string | null;
  holdout_symbols: string[];
  min_t: number;
  alpha: number;
}

/** One leg of the confirmation, as it came out. */
export interface ConfirmationLeg {
  leg: 'fresh' | 'holdout';
  symbols: number;
  trades: number;
  mean_excess: number | null;
  /** The first bar the leg covers (the cut date for the holdout), ISO; null without runs. */
  from: string | null;
}

export interface OfferedProposal extends CandidateProposal {
  justification: string;
  expected_information_gain: string;
  /** Who wrote the prose and the order: `rules` or `ollama:<model>@<digest>`. */
  source: string;
}

/**
 * What happens inside a step, reported while it runs (a model's reply streaming in): the loop calls
 * `LoopDeps.live` with these as they happen, outside the ordered event stream, because a generator
 * cannot yield from inside an awaited call. Nothing is decided or stored from them.
 */
export type LiveEvent = { event: 'stream'; role: 'translator' | 'director' | 'reviewer'; text: string };

/** Everything the loop reports, in order. The UI and `--json` subscribe; nothing else drives them. */
export type ResearchEvent =
  | { event: 'session'; session: string; seed: number; budget: number; store: string }
  | { event: 'stage'; stage: Stage; status: 'running' | 'done' | 'failed'; detail?: string }
  | { event: 'translation'; source: string; summary: string; warnings: string[]; spec_id: string; logic_hash: string; params_hash: string; name: string }
  | { event: 'compiled'; report: CompileReport }
  | { event: 'proposal'; proposal: OfferedProposal }
  | { event: 'decision'; proposal_id: string; decision: 'approved' | 'vetoed' | 'killed'; by: 'user' | 'auto' | 'replay'; note: string | null }
  | { event: 'spend'; seq: number; action: string; cost: number; balance: number }
  /** Before each backtest of a batch: the whole batch and how many of it are done (a console's progress bars). */
  | { event: 'progress'; keys: SeriesKey[]; done: number }
  /** `run_id`: the stored run record, whose artifacts hold the equity curve. */
  | { event: 'run'; key: SeriesKey; segment: Segment; metrics: Metrics; run_id: string; gross?: Metrics }
  | { event: 'trials'; count: number; total_for_family: number; best: Record<string, number> }
  | { event: 'spec_version'; spec_id: string; parent: string; params: Record<string, number> }
  | { event: 'gate'; verdict: GateVerdict }
  /** After each judgement: the per-segment screen, and the segments the scope is narrowed to (null: the whole market). */
  /** `selection_k`: once narrowed, the segments the narrowing chose among (the table itself then holds the scope's segments only). */
  | { event: 'segments'; table: SegmentTable; constrained: string[] | null; selection_k?: number }
  | { event: 'registration'; registration: Registration }
  | { event: 'confirmation_leg'; leg: ConfirmationLeg }
  | { event: 'review'; source: string; diagnosis: string; intent_match: string; unsupported_numbers: string[] }
  | { event: 'note'; text: string }
  | { event: 'status'; status: FinalStatus; reason: string }
  /** The user quit while a proposal waited: the session is SUSPENDED (not final) and `gauntlet resume` continues it. */
  | { event: 'suspended'; session: string; reason: string }
  | { event: 'summary'; status: FinalStatus; reason: string; credits_spent: number; trials: number; runs: number; library_entry?: string };
