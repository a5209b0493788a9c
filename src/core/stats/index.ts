// Public API of the overfitting statistics (DESIGN §6 multiple-testing gate; conventions and
// test vectors in reference/stats.md). Conventions everywhere: Sharpe ratios are PER BAR,
// T = number of bars, kurtosis is NON-excess (normal = 3), the variance of trial Sharpes uses
// ddof = 1, CSCV ranks use ω = r/(N+1). Randomness only through a `random: () => number` argument.
// Each function's doc comment names its paper, equation and stats.md vector.

export { erfc, normalCdf, normalSurvival, normalPdf, normalQuantile, normalUpperQuantile } from './normal.ts';
export { logGamma, regularizedIncompleteBeta, regularizedIncompleteBetaComplement } from './incomplete-beta.ts';
export { studentTCdf, studentTSurvival, studentTTwoSidedPValue, studentTQuantile, studentTUpperQuantile } from './student-t.ts';
export { mean, variance, standardDeviation, moments, skewness, kurtosis } from './moments.ts';
export type { Moments } from './moments.ts';
export { sharpeRatio, annualizeSharpe, deannualizeSharpe, deannualizeSharpeVariance } from './sharpe.ts';
export { EULER_MASCHERONI, expectedMaxZ, expectedMaxNormal, varianceMaxNormal } from './max-normal.ts';
export { sharpeVarianceFactor, psrZScore, probabilisticSharpeRatio, minTrackRecordLength } from './psr.ts';
export type { SharpeSample, PsrInput, MinTrlInput } from './psr.ts';
export { expectedMaxSharpe, trialSharpeVariance, deflatedSharpeRatio } from './dsr.ts';
export type { TrialDispersion, DsrInput, DsrResult } from './dsr.ts';
export {
  sharpeVariance2025,
  probabilisticSharpeRatio2025,
  minTrackRecordLength2025,
  deflatedSharpeRatio2025,
  sharpePower2025,
  posteriorFalseDiscoveryRate,
  observedFalseDiscoveryRate,
} from './sharpe-inference-2025.ts';
export type { Moments2025, SharpeVariance2025Input, Psr2025Input, MinTrl2025Input, Dsr2025Input, Power2025Input, ObservedFdrInput } from './sharpe-inference-2025.ts';
export { minBacktestLength, minBacktestLengthBound, maxTrialsForBacktest } from './minbtl.ts';
export { symmetricEigenvalues, effectiveRank } from './effective-trials.ts';
export { binomial, forEachCombination } from './combinations.ts';
export { probabilityOfBacktestOverfitting } from './pbo.ts';
export type { ReturnsMatrix, PboMetric, PboOptions, PboResult, LogitSummary } from './pbo.ts';
export { bonferroni, holm, benjaminiHochbergYekutieli, benjaminiHochberg, harmonicNumber, bhyThresholds, rejected } from './multiple.ts';
export { stationaryBootstrapIndices, stationaryBootstrapFromDraws } from './bootstrap.ts';
export { optimalStationaryBlockLength } from './block-length.ts';
export { autocovariances } from './autocovariance.ts';
export {
  performanceDifferentials,
  spaConsistentThreshold,
  stationaryBootstrapLongRunVariance,
  whiteRealityCheck,
  hansenSpa,
} from './reality-check.ts';
export type { DataSnoopingInput, RealityCheckResult, SpaInput, SpaResult } from './reality-check.ts';
export { autocorrelationSharpeFactor, sharpeTest, haircutSharpeRatio } from './haircut.ts';
export type { SharpeTestInput, SharpeTest, HaircutInput, HaircutResult } from './haircut.ts';
export { excessReturn, excessReturns } from './excess.ts';
export { MIN_EDGE_TRADES, MIN_EDGE_CLUSTERS, hasMinimumSample, clusterKey, clusterIds, clusteredMean, clusteredCovariance } from './clustered.ts';
export type { ClusteredMean, ClusteredPair } from './clustered.ts';
export { retentionBound } from './retention.ts';
export type { RetentionInput, RetentionBound } from './retention.ts';
