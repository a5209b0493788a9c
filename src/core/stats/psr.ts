// Probabilistic Sharpe Ratio and Minimum Track Record Length, 2012/2014 convention:
// Bailey & López de Prado (2012) "The Sharpe Ratio Efficient Frontier", J. of Risk 15(2);
// the DSR paper (2014, JPM 40(5)) reuses the same PSR. stats.md §1:
//   σ²(SR) = (1 − g3·SR + (g4 − 1)/4·SR²) / (T − 1)        moments at the OBSERVED SR
//   PSR(SR*) = Φ((SR − SR*)·√(T − 1) / √(1 − g3·SR + (g4 − 1)/4·SR²))
//   MinTRL(SR*) = 1 + (1 − g3·SR + (g4 − 1)/4·SR²)·(Φ⁻¹(1 − α)/(SR − SR*))²   bars
// SR and SR* are PER-BAR, T is the number of bars, g4 is NON-excess kurtosis (normal = 3).
// The 2025 convention (variance at the null, /T, AR(1) term) lives in sharpe-inference-2025.ts.

import { normalCdf, normalUpperQuantile } from './normal.ts';
import { requireAtLeast, requireFinite, requireNonExcessKurtosis, requireOpenUnit } from './validate.ts';

export interface SharpeSample {
  /** Observed per-bar Sharpe ratio of the strategy. */
  readonly sharpe: number;
  /** Skewness g3 of its per-bar returns (default 0). */
  readonly skewness?: number;
  /** NON-excess kurtosis g4 of its per-bar returns (normal = 3, the default). */
  readonly kurtosis?: number;
}

export interface PsrInput extends SharpeSample {
  /** Number of bars T >= 2. */
  readonly bars: number;
  /** Benchmark per-bar Sharpe SR* (default 0). */
  readonly benchmark?: number;
}

/** 1 − g3·SR + (g4 − 1)/4·SR², the non-normality factor of Var(SR), after validating inputs. */
export function sharpeVarianceFactor({ sharpe, skewness = 0, kurtosis = 3 }: SharpeSample): number {
  requireFinite(sharpe, 'sharpe');
  requireNonExcessKurtosis(skewness, kurtosis);
  // >= (1 − g3·SR/2)² >= 0 whenever g4 >= 1 + g3²; it is 0 only on that boundary.
  const factor = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(factor > 0)) throw new RangeError(`Sharpe variance factor 1 − g3·SR + (g4−1)/4·SR² must be > 0, got ${factor}`);
  return factor;
}

/**
 * z-statistic of the PSR: (SR − SR*)·√(T − 1) / √(1 − g3·SR + (g4 − 1)/4·SR²).
 * Bailey & López de Prado (2012), PSR definition (stats.md §1; D1 z = 1.2838160365).
 */
export function psrZScore(input: PsrInput): number {
  const { sharpe, bars, benchmark = 0 } = input;
  requireAtLeast(bars, 2, 'bars (T)');
  requireFinite(benchmark, 'benchmark');
  return ((sharpe - benchmark) * Math.sqrt(bars - 1)) / Math.sqrt(sharpeVarianceFactor(input));
}

/**
 * Probabilistic Sharpe Ratio PSR(SR*) = Φ(z): the probability that the true per-bar Sharpe
 * exceeds SR*, given SR observed over T bars with skewness g3 and NON-excess kurtosis g4.
 * Bailey & López de Prado (2012) "The Sharpe Ratio Efficient Frontier"; moments at the
 * observed SR, T − 1 in the variance (stats.md §1, vectors P1, L1).
 */
export function probabilisticSharpeRatio(input: PsrInput): number {
  return normalCdf(psrZScore(input));
}

export interface MinTrlInput extends SharpeSample {
  /** Benchmark per-bar Sharpe SR* (default 0). */
  readonly benchmark?: number;
  /** Significance α: the track record must give PSR(SR*) >= 1 − α (default 0.05). */
  readonly alpha?: number;
}

/**
 * Minimum Track Record Length in BARS: 1 + (1 − g3·SR + (g4 − 1)/4·SR²)·(Φ⁻¹(1 − α)/(SR − SR*))².
 * Bailey & López de Prado (2012) "The Sharpe Ratio Efficient Frontier" (stats.md §1, vectors
 * M1–M3, L3). Infinity when SR <= SR*: no track record, however long, shows SR > SR*.
 */
export function minTrackRecordLength(input: MinTrlInput): number {
  const { sharpe, benchmark = 0, alpha = 0.05 } = input;
  requireFinite(benchmark, 'benchmark');
  requireOpenUnit(alpha, 'alpha');
  const factor = sharpeVarianceFactor(input);
  if (!(sharpe > benchmark)) return Infinity;
  const z = normalUpperQuantile(alpha) / (sharpe - benchmark);
  return 1 + factor * z * z;
}
