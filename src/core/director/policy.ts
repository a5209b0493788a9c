import type { CostTable } from '../budget/cost-table.ts';
import { REQUIRED_GATES } from '../gates/registry.ts';
import type { Policy } from '../research/policy.ts';
import type { ReviewInput, UniverseView } from '../research/ports.ts';
import { reached, type ResearchState } from '../research/state.ts';
import type { SegmentTable } from './segment-table.ts';
import { anonymise, scrub, symbolAliases } from '../anonymise/anonymise.ts';
import { unsupportedNumbers } from '../anonymise/numbers.ts';
import { sectorAggregates } from './aggregates.ts';
import { gateFacts, sectorFacts, segmentFacts } from './facts.ts';
import { ladderCheck } from './intervals.ts';
import { downloadFacts, proposeNext, type DirectorState } from './proposals.ts';
import { concentrationFacts, regimeAggregates, regimeFacts } from './regimes.ts';
import { pooledRegimePerformance } from '../gates/regimes.ts';
import { initialSelection } from './symbols.ts';
import { paramsHash } from '../spec/hash.ts';
import { segmentTable } from './segment-table.ts';
import { MIN_EDGE_CLUSTERS, MIN_EDGE_TRADES } from '../stats/index.ts';

export interface RulesPolicyOptions {
  table: CostTable;
  /** Gates that must pass before promotion is offered; the holdout is excluded because promotion is what opens it. */
  required?: readonly string[];
}

/** The Director's rules behind the loop's Policy port: ResearchState in, pure rule functions underneath. */
export function rulesPolicy(opts: RulesPolicyOptions): Policy {
  const required = (opts.required ?? REQUIRED_GATES).filter((g) => g !== 'holdout' && g !== 'confirmation');
  return {
    initialSelection,
    segments: screenOf,
    proposeNext: (state, universe) => proposeNext(directorState(state, universe, opts.table, required)),
    facts: (state, universe) => [
      ...sectorFacts(sectorAggregates(state.runs)), ...segmentFacts(screenOf(state)), ...gateFacts(state.verdicts.values()),
      ...(universe === undefined ? [] : downloadFacts(directorState(state, universe, opts.table, required))),
    ],
    ladderCheck,
    anonymise: (state): ReviewInput => ({
      idea: scrub(state.spec.idea, symbolAliases(state.runs)),
      meta: state.meta,
      aggregates: anonymise(state.runs, state.meta, [...state.verdicts.values()], sectorAggregates(state.runs), { notes: [...state.regimeFacts, ...segmentFacts(screenOf(state))] }),
    }),
    regimeFacts: (runs, labels) => [...regimeFacts(regimeAggregates(runs, labels)), ...concentrationFacts(pooledRegimePerformance(runs, labels))],
    unsupportedNumbers: (text, input) => unsupportedNumbers(text, input),
  };
}

/** The per-segment screen of the tested set, at the edge gate's default minimum sample. */
export function screenOf(state: ResearchState): SegmentTable {
  return segmentTable(state.runs, { trades: MIN_EDGE_TRADES, clusters: MIN_EDGE_CLUSTERS });
}

/** ResearchState → the rules' input. */
export function directorState(state: ResearchState, universe: UniverseView, table: CostTable, required: readonly string[]): DirectorState {
  return {
    meta: state.meta,
    universe,
    table,
    balance: state.balance,
    tested: state.keys,
    interval: state.interval,
    phase: state.phase,
    params: Object.entries(state.spec.params).filter(([name, p]) => p.min < p.max && !state.compile.unusedParams.includes(name)).map(([name]) => name),
    stage: {
      oosPassed: reached(state, 'oos_passed'),
      optimized: reached(state, 'optimized'),
      walkForwardDone: state.walkForward !== null,
      reoptimized: reached(state, 'reoptimized'),
      regimeChecked: reached(state, 'regime_checked'),
      gatesPassed: required.every((g) => state.verdicts.get(g)?.pass === true),
      edgePassed: state.verdicts.get('edge')?.pass === true,
      reviewed: reached(state, 'reviewed'),
      holdoutSealed: !reached(state, 'holdout_opened'),
    },
    aggregates: sectorAggregates(state.runs),
    segments: screenOf(state),
    drawSeed: state.drawSeed,
    version: paramsHash(state.spec),
    vetoed: state.vetoed,
    constrainedTo: state.constrainedTo,
  };
}
