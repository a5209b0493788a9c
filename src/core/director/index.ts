// The Director's rules (DESIGN §6): code chooses the candidates, an LLM may only reorder and explain them.
export { candidateIntervals, HOLDING_INTERVALS, ladderCheck, ladderNext, ladderPrev, ladderNeighbours, ladderRung } from './intervals.ts';
export { initialSelection, marketAt, memoUniverse, MIN_SCREEN_SYMBOLS } from './symbols.ts';
export { balancedDraw, segmentPools, stratifiedDraw, STARTER_PER_SEGMENT, MIN_VISIBLE_SHARE } from './screen.ts';
export { segmentTable, SEGMENT_ALPHA, type SegmentRow, type SegmentTable } from './segment-table.ts';
export { sectorAggregates, type SectorAggregate } from './aggregates.ts';
export { regimeAggregates, regimeFacts, type RegimeAggregate } from './regimes.ts';
export { proposeNext, stepSymbols, type DirectorState, type ResearchStage } from './proposals.ts';
export { DetailSchema, AddSymbolDetailSchema, type ActionDetail, type AddSymbolDetail } from './details.ts';
export { sectorFacts, segmentFacts, gateFacts } from './facts.ts';
export { rulesPolicy, directorState, type RulesPolicyOptions } from './policy.ts';
