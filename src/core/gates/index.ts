// The gates (DESIGN §6). Each is a pure function returning a GateVerdict with every measured value
// and threshold; the research loop calls them one by one and stops at the first failure.
export {
  GateConfigSchema,
  DEFAULT_GATE_CONFIG,
  TIGHTENING,
  parseGateConfig,
  tightenOnly,
  configHash,
} from './config.ts';
export type {
  GateConfig,
  ViabilityConfig,
  DistributionConfig,
  RobustnessConfig,
  ComplexityConfig,
  MultipleTestingConfig,
  ConfirmationConfig,
} from './config.ts';
export { equalWeightPortfolio, maxDrawdown, pooledSharpe, unionYears, timeSpan } from './portfolio.ts';
export type { Portfolio } from './portfolio.ts';
export { utcDay, isoWeek, isoWeekStart, gainsBy } from './time-buckets.ts';
export { pooledTrades } from './pooled-trades.ts';
export type { PooledTrades } from './pooled-trades.ts';
export { viability } from './viability.ts';
export { distribution } from './distribution.ts';
export { robustness } from './robustness.ts';
export { complexity } from './complexity.ts';
export { causality } from './causality.ts';
export { multipleTesting, multipleTestingFromSample, portfolioSample } from './multiple-testing.ts';
export type { MultipleTestingInput, ReturnSample, TrialRecord } from './multiple-testing.ts';
export { confirmation } from './confirmation.ts';
export { regimePerformance, pooledRegimePerformance, regimeConcentration, VOLATILITY_REGIMES, TREND_REGIMES } from './regimes.ts';
export type { RegimeName, RegimeStats, RegimePerformance, RegimeConcentration } from './regimes.ts';
