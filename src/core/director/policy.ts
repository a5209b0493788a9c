import type { CostTable } from '../budget/cost-table.ts';
import { GATE_NAMES } from '../research/gate.ts';
import type { Policy } from '../research/policy.ts';
import type { ReviewInput, UniverseView } from '../research/ports.ts';
import type { ResearchState } from '../research/state.ts';
import { anonymise, scrub, symbolAliases } from '../anonymise/anonymise.ts';
import { unsupportedNumbers } from '../anonymise/numbers.ts';
import { sectorAggregates } from './aggregates.ts';
import { gateFacts, sectorFacts } from './facts.ts';
import { ladderCheck } from './intervals.ts';
import { proposeNext, type DirectorState } from './proposals.ts';
import { concentrationFacts, regimeAggregates, regimeFacts } from './regimes.ts';
import { pooledRegimePerformance } from '../gates/regimes.ts';
import { INITIAL_SYMBOLS, initialSelection } from './symbols.ts';

export interface RulesPolicyOptions {
  table: CostTable;
  /** Gates that must pass before promotion is offered; the holdout is excluded because promotion is what opens it. */
  required?: readonly string[];
}

/** The Director's rules behind the loop's Policy port: ResearchState in, pure rule functions underneath. */
export function rulesPolicy(opts: RulesPolicyOptions): Policy {
  const required = (opts.required ?? GATE_NAMES).filter((g) => g !== 'holdout');
  return {
    initialSelection,
    proposeNext: (state, universe) => proposeNext(directorState(state, universe, opts.table, required)),
    facts: (state) => [...sectorFacts(sectorAggregates(state.runs)), ...gateFacts(state.verdicts.values())],
    ladderCheck,
    anonymise: (state): ReviewInput => ({
      idea: scrub(state.spec.idea, symbolAliases(state.runs)),
      meta: state.meta,
      aggregates: anonymise(state.runs, state.meta, [...state.verdicts.values()], sectorAggregates(state.runs), { notes: state.regimeFacts }),
    }),
    regimeFacts: (runs, labels) => [...regimeFacts(regimeAggregates(runs, labels)), ...concentrationFacts(pooledRegimePerformance(runs, labels))],
    unsupportedNumbers: (text, input) => unsupportedNumbers(text, input),
  };
}

/**
 * ResearchState → the rules' input. Where the research started: when the loop records
 * `expandedSector` (the sector a new-sector expansion went into), every other tested sector;
 * otherwise the sectors of the starter set, which the loop tests first and keeps first in `keys`.
 */
export function directorState(state: ResearchState, universe: UniverseView, table: CostTable, required: readonly string[]): DirectorState {
  const aggregates = sectorAggregates(state.runs);
  const sectorOf = new Map(universe.symbols().map((u) => [u.symbol, u.sector]));
  const sectors = [...new Set(state.keys.map((k) => sectorOf.get(k.symbol) ?? '?'))];
  return {
    meta: state.meta,
    universe,
    table,
    balance: state.balance,
    tested: state.keys,
    interval: state.interval,
    pending: state.starterPending,
    params: Object.entries(state.spec.params).filter(([name, p]) => p.min < p.max && !state.compile.unusedParams.includes(name)).map(([name]) => name),
    stage: {
      initialDone: state.runs.length > 0,
      oosPassed: state.oosPassed,
      optimized: state.optimized,
      walkForwardDone: state.walkForward !== null,
      reoptimized: state.reoptimized,
      regimeChecked: state.regimeChecked,
      gatesPassed: required.every((g) => state.verdicts.get(g)?.pass === true),
      reviewed: state.reviewed,
      holdoutSealed: !state.holdoutOpened,
    },
    aggregates,
    initialSectors: state.expandedSector !== null ? sectors.filter((s) => s !== state.expandedSector) : starterSectors(state, sectorOf),
    vetoed: state.vetoed,
    constrainedTo: state.constrainedTo,
    heldDimension: heldDimension(state),
    insufficiency: state.insufficiency,
  };
}

function starterSectors(state: ResearchState, sectorOf: ReadonlyMap<string, string>): string[] {
  const starter = [...new Set(state.keys.map((k) => k.symbol))].slice(0, INITIAL_SYMBOLS);
  return [...new Set(starter.map((s) => sectorOf.get(s) ?? '?'))];
}

/** WFE ≥ 0.5 is Pardo's usual bar for a walk-forward that kept its edge out of sample. */
export const MIN_WALK_FORWARD_EFFICIENCY = 0.5;

/** A non-sector dimension the edge held across: every gate at a second interval, or a walk-forward. */
function heldDimension(state: ResearchState): string | null {
  if (state.passedIntervals.length >= 2) return `intervals:${state.passedIntervals.join('+')}`;
  const wf = state.walkForward;
  if (wf !== null && wf.efficiency >= MIN_WALK_FORWARD_EFFICIENCY) return `walk_forward:efficiency ${wf.efficiency.toFixed(2)}`;
  return null;
}
