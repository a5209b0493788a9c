import type { Action } from '../budget/cost-table.ts';
import type { UniverseSymbol } from '../universe.ts';
import type { Interval } from '../intervals.ts';
import type { Complexity } from '../spec/complexity.ts';
import type { Meta, Spec } from '../spec/schema.ts';
import type { TranscriptText } from '../store/transcript-bodies.ts';
import type { DownloadedSeries } from './download-record.ts';
import type { RegimeLabels, Segment, SeriesKey, SeriesRun } from './run.ts';

/**
 * The ports the research loop needs (DESIGN §2). Core declares them and depends on nothing else;
 * the engine and the agents implement them, and the CLI wires them together.
 */

/** Whether bars the universe lacks can be downloaded for a research (no network is asked), and how; or why not. */
export type DownloadOffer =
  | { readonly ok: true; readonly source: string; readonly fetch: Interval }
  | { readonly ok: false; readonly why: string };

export interface DownloadRequest {
  symbols: string[];
  /** The interval fetched (the offer's `fetch`). */
  interval: Interval;
  source: string;
}

/**
 * What a download did: `ok` with the series added (the universe holds them from now on), or not, with the
 * reason in the user's words (offline: "no network: use data import …") and the series finished before
 * it failed, which the session does not use. Expected failures are values, never exceptions.
 */
export type DownloadOutcome = { source: string; interval: Interval; from: string; to: string; series: DownloadedSeries[] } & (
  | { ok: true }
  | { ok: false; reason: string }
);

export interface UniverseView {
  /** Absent: this universe cannot download (the Director then offers no download). */
  downloadOffer?(symbols: readonly string[], interval: Interval): DownloadOffer;
  symbols(): UniverseSymbol[];
  /** Annualised realised volatility of close-to-close log returns on the visible segment. */
  realizedVol(key: SeriesKey): number;
  /** Bars of the series before the market's holdout cut date: what a screen or a fresh-symbol leg can test on. */
  visibleBars(key: SeriesKey): number;
  /** Bars of the series from the cut date on: the sealed holdout the confirmation opens. */
  sealedBars(key: SeriesKey): number;
}

export interface CompileReport {
  complexity: Complexity;
  warmup: number;
  unusedParams: string[];
}

export interface CausalityReport {
  ok: boolean;
  cuts: number[];
  mismatch: { cut: number; bar: number } | null;
}

export interface Trial {
  params: Record<string, number>;
  /** Per-bar Sharpe (not annualised) on the pooled visible segment: what DSR counts. */
  sharpe: number;
  /** Annualised Sharpe and the objective the search ranked by. */
  metrics: { sharpe: number; avg_trade_return: number; trades: number };
}

export interface OptimizationResult {
  method: 'grid' | 'random';
  trials: Trial[];
  best: Record<string, number>;
  /** Per-bar returns of every trial on one common time grid (bars × trials, column-major): PBO's input. */
  returns: { bars: number; trials: number; values: Float64Array };
}

export interface WalkForwardFold {
  trainFrom: number;
  trainTo: number;
  testFrom: number;
  testTo: number;
  params: Record<string, number>;
  inSampleSharpe: number;
  outOfSampleSharpe: number;
}

export interface WalkForwardResult {
  mode: 'rolling' | 'anchored';
  folds: WalkForwardFold[];
  /** Annualised out-of-sample return ÷ annualised in-sample return (Pardo). */
  efficiency: number;
  /** The out-of-sample pieces stitched into one run per series. */
  stitched: SeriesRun[];
  /** Per-bar Sharpe of every trial of every fold's search: each counts toward the ledger's N for DSR. */
  trialSharpes: number[];
}

export interface OptimizeOptions {
  method: 'grid' | 'random';
  /** Trial cap: grid search samples the grid down to it (seeded) when the grid is larger. */
  trials: number;
  seed: number;
  /** Worker threads (default: available cores). */
  workers?: number;
}

export interface WalkForwardOptions {
  mode: 'rolling' | 'anchored';
  folds: number;
  trials: number;
  seed: number;
  workers?: number;
}

export interface EnginePort {
  universe(): UniverseView;
  /** Compiles (validating params, references, complexity, static causality); throws a UserError naming the problem. */
  compile(spec: Spec): CompileReport;
  backtest(spec: Spec, key: SeriesKey, segment: Segment): SeriesRun;
  causality(spec: Spec, key: SeriesKey, cuts: number, seed: number): CausalityReport;
  regimes(key: SeriesKey, segment: Segment): RegimeLabels;
  /** Searches the declared param ranges on the visible segments only. */
  optimize(spec: Spec, keys: SeriesKey[], opts: OptimizeOptions): Promise<OptimizationResult>;
  walkForward(spec: Spec, keys: SeriesKey[], opts: WalkForwardOptions): Promise<WalkForwardResult>;
  /** Downloads bars into the universe (docs/director.md "Download data"); absent when the universe cannot. */
  download?(req: DownloadRequest): Promise<DownloadOutcome>;
}

/** Who answered an agent call: `rules` (deterministic) or `ollama:<model>@<digest>`. */
export interface AgentResult<O> {
  value: O;
  source: string;
  /** Ids of the stored transcripts of the model calls behind this result (none for `rules`). */
  transcripts?: string[];
}

export interface AgentOptions {
  signal?: AbortSignal;
  /** The session the call belongs to: its transcripts are stored under it. */
  session?: string;
  /** Called with the reply text so far while a model streams, so the console can show it live. */
  onText?: (textSoFar: string) => void;
}

/** Where agents put every model call (DESIGN §6): the CLI backs it with the store. */
export interface TranscriptSink {
  /** One call with its bodies as text; the store's sink moves the large ones to artifacts (transcript-bodies.ts). */
  record(t: TranscriptText): Promise<void>;
}

export interface TranslationOut {
  spec: Spec;
  summary: string;
  warnings: string[];
}

export interface TranslatorPort {
  translate(idea: string, opts: AgentOptions): Promise<AgentResult<TranslationOut>>;
}

/** What the Director sees: the spec's meta, what was tested and how it did, the candidates code offers. */
export interface DirectorInput {
  meta: Meta;
  candidates: CandidateProposal[];
  /** Short code-computed facts (sector aggregates, gate results so far), no raw prices. */
  facts: string[];
}

/** A proposal the rules built. The Director may only reorder these and write the prose. */
export interface CandidateProposal {
  id: string;
  action: Action;
  /** What exactly the action does (symbols added, interval, params to optimise …). */
  detail: Record<string, unknown>;
  /** Always from the cost table. */
  cost: number;
  /** The rules' own one-line reason, used when no LLM writes one. */
  rationale: string;
}

export interface DirectorRanking {
  /** Candidate ids, best first: a permutation of a subset of the input ids. */
  order: string[];
  notes: Record<string, { justification: string; expected_information_gain: string }>;
}

export interface DirectorPort {
  rank(input: DirectorInput, opts: AgentOptions): Promise<AgentResult<DirectorRanking>>;
}

/** Anonymised aggregates only (sectors + letters, relative dates): DESIGN §6 LLM hygiene. */
export interface ReviewInput {
  idea: string;
  meta: Meta;
  aggregates: Record<string, unknown>;
}

export interface Review {
  diagnosis: string;
  intent_match: 'yes' | 'partly' | 'no';
  /** Numbers the reviewer quoted that were not in its input (flagged, never trusted). */
  unsupported_numbers: string[];
}

export interface ReviewerPort {
  review(input: ReviewInput, opts: AgentOptions): Promise<AgentResult<Review>>;
}

/**
 * `suspend`: the user quit; the proposal stays unanswered and the session can be resumed from the ledger.
 * `preapproved`: a terminal step (promote) that a person approved up front for batch use, naming how
 * (e.g. "--approve all+promote"); it is recorded with the decision. Without it an automatic approval
 * never takes a terminal step. `by: 'user'`: a person answered in a session run without one (a
 * headless session resumed in the console), so the decision is the person's.
 */
export type ApprovalDecision = (
  | { decision: 'approve'; preapproved?: string }
  | { decision: 'veto'; note?: string }
  | { decision: 'kill'; note?: string }
  | { decision: 'suspend' }
) & { by?: 'user' };

export interface ApproverPort {
  decide(proposal: CandidateProposal & { justification: string; expected_information_gain: string }): Promise<ApprovalDecision>;
}
