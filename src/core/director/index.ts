// The Director's rules (DESIGN §6): code chooses the candidates, an LLM may only reorder and explain them.
export { candidateIntervals, HOLDING_INTERVALS, ladderCheck, ladderNext, ladderPrev, ladderNeighbours, ladderRung } from './intervals.ts';
export { candidateSymbols, initialSelection, marketAt, memoUniverse, INITIAL_SYMBOLS, type SymbolOptions } from './symbols.ts';
export { sectorAggregates, expansionAdvice, heldNewSector, sectorHolds, MIN_SECTOR_SYMBOLS, type SectorAggregate, type ExpansionAdvice } from './aggregates.ts';
export { regimeAggregates, regimeFacts, type RegimeAggregate } from './regimes.ts';
export { proposeNext, EXPANSION_SYMBOLS, type DirectorState, type ResearchStage } from './proposals.ts';
export { DetailSchema, AddSymbolDetailSchema, type ActionDetail, type AddSymbolDetail } from './details.ts';
export { sectorFacts, gateFacts } from './facts.ts';
export { rulesPolicy, directorState, type RulesPolicyOptions } from './policy.ts';
