import type { CompileReport } from '../../core/research/ports.ts';
import type { ConfirmationLeg, FinalStatus, OfferedProposal, Registration, SegmentTable, Stage } from '../../core/research/events.ts';
import type { GateVerdict } from '../../core/research/gate.ts';
import type { Metrics } from '../../core/research/run.ts';
import type { LedgerEntry } from '../../core/ledger/schema.ts';
import type { Spec } from '../../core/spec/schema.ts';
import type { PaneId } from '../layout.ts';
import type { BrowserState } from './browser.ts';

/**
 * The console's state: what the panes show, derived from the loop's events (reduce.ts) and from
 * what the composition root reads from the store for them (the spec, equity curves, the ledger).
 * Components read it and call actions (store.ts); nothing else changes it.
 */

export type StageStatus = 'pending' | 'running' | 'done' | 'failed';

/** Something to research, offered on the start screen or given on the command line. */
export interface IdeaChoice {
  /** What the list shows. */
  label: string;
  /** `resume`: a SUSPENDED session of the store, continued where the user quit. */
  kind: 'spec' | 'pine' | 'text' | 'file' | 'resume';
  /** A file to read (relative to the working directory) … */
  path?: string;
  /** … or the idea itself. */
  text?: string;
  /** The session to resume (kind `resume`). */
  session?: string;
  /** One line about it (a spec's idea, the first comment of a Pine file). */
  about?: string;
}

/** The session's current spec, as read from the store. */
export interface SpecView {
  id: string;
  spec: Spec;
  /** Version number within this session: 1 for the translated spec, +1 per new version. */
  version: number;
}

export interface SpecChangeView {
  path: string;
  from: string;
  to: string;
}

export interface EngineKeyView {
  key: string;
  state: 'pending' | 'running' | 'done';
  metrics?: Metrics;
}

export interface EquityView {
  runId: string;
  label: string;
  values: Float64Array;
}

export interface HistoryItem {
  id: string;
  lines: string[];
}

/** The iteration being run, closed into a HistoryItem when the next proposal or the verdict arrives. */
export interface Iteration {
  id: string;
  title: string;
  runs: string[];
  gates: GateVerdict[];
  review: string | null;
  notes: string[];
}

export type RunState = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'failed' | 'closing';

/** Where the keys go (state/scope.ts maps it to a key-map scope); `confirm`: the kill confirmation is up. */
export type Focus = 'examples' | 'idea' | 'files' | 'console' | 'note' | 'confirm' | 'browser';

export interface Settings {
  /** The store as users name it (`./.gauntlet`). */
  storePath: string;
  /** `model@digest`, or `offline — rules`. */
  llm: string;
  /** What to do about Ollama, when it was asked for and cannot answer. */
  llmMessage: string | null;
  /** Proposals cheaper than this many credits are approved without asking; null: every proposal asks. */
  autoApprove: number | null;
  /** Credits a session starts with. */
  budget: number;
  /** NO_COLOR unset. */
  color: boolean;
  /** The universe declares survivorship bias: the header says so. */
  survivorship?: 'biased';
}

export interface ConsoleData {
  settings: Settings;
  screen: 'start' | 'console';
  focus: Focus;
  help: boolean;
  /** The first help line shown: the help scrolls when it does not fit. */
  helpOffset: number;
  zoom: PaneId | null;
  start: {
    examples: IdeaChoice[];
    files: IdeaChoice[];
    /** Where the file picker looked. */
    filesRoot: string;
    cursor: { examples: number; files: number };
    draft: string;
    error: string | null;
  };
  run: RunState;
  session: { id: string; seed: number; budget: number } | null;
  idea: string;
  balance: number | null;
  spent: number;
  stages: Record<Stage, { status: StageStatus; detail?: string }>;
  translator: { source: string | null; summary: string | null; warnings: string[]; stream: string };
  spec: SpecView | null;
  specHashes: { id: string; logic: string; params: string; name: string } | null;
  specChanges: SpecChangeView[];
  compiler: CompileReport | null;
  /** `offers`: the round's proposals so far; a new round replaces them with its first proposal (`fresh`). */
  director: { source: string | null; offers: Array<OfferedProposal & { decision?: string; note?: string | null }>; stream: string; fresh: boolean };
  /** `last`: the newest run (its label names the segment when it is not the visible one). */
  engine: { keys: EngineKeyView[]; detail: string | null; runs: number; trials: number; notes: string[]; last: { label: string; metrics: Metrics; gross?: Metrics } | null };
  equity: EquityView | null;
  gates: GateVerdict[];
  /** The latest per-segment screen (Director pane) and the scope's narrowing, if any. */
  segments: { table: SegmentTable; constrained: string[] | null; selectionK?: number } | null;
  /** The confirmation: its registration and the legs as they come in (Gates pane). */
  confirmation: { registration: Registration | null; legs: ConfirmationLeg[] };
  reviewer: { source: string | null; diagnosis: string | null; intentMatch: string | null; unsupported: string[]; stream: string };
  decision: { proposal: OfferedProposal | null; decision: string | null; by: string | null; note: string | null; cost: number | null; auto: boolean };
  inbox: { pending: OfferedProposal | null; note: string; autoNote: string | null };
  ledger: LedgerEntry[];
  history: HistoryItem[];
  current: Iteration | null;
  final: { status: FinalStatus; reason: string; credits_spent?: number; trials?: number; runs?: number; library_entry?: string } | null;
  error: string | null;
  killRequested: boolean;
  browser: BrowserState;
}
