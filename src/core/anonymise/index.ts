// The Reviewer's view (DESIGN §6 LLM hygiene): anonymised aggregates in, unsupported numbers flagged out.
export { anonymise, symbolAliases, scrub, r3, type AnonymiseOptions } from './anonymise.ts';
export { unsupportedNumbers, quotedNumbers, inputNumbers } from './numbers.ts';
export { intentBands, outside, type IntentBands, type Range } from './intent.ts';
export { ReviewAggregatesSchema, type ReviewAggregates, type SeriesAggregate, type SectorSummary } from './schema.ts';
