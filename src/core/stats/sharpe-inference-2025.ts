// Sharpe-ratio inference, 2025 convention: López de Prado, Lipton & Zoonekynd (2025) "How to
// use the Sharpe ratio" / "Sharpe ratio inference" (ADIA Lab, SSRN 5520741); reference code
// zoonek/2025-sharpe-ratio functions.py. stats.md §1 "The 2025 convention". It differs from
// psr.ts (2012/2014) in three ways: the variance is evaluated at the NULL SR0, it divides by
// T (not T − 1), and it carries an AR(1) term:
//   V(SR; T, ρ) = (a − b·g3·SR + c·(g4 − 1)/4·SR²) / T
//   a = 1 + 2ρ/(1−ρ),  b = 1 + ρ/(1−ρ) + ρ²/(1−ρ²),  c = 1 + 2ρ²/(1−ρ²)
// The DSR additionally multiplies V by Var[max of K N(0,1)].
// The SAME fund gives PSR(0) = 0.9132 under 2012 and 0.9872 under 2025 (stats.md P1 vs Z3):
// a gate must pin one convention and label it. Per-bar SR, T = bars, NON-excess g4.

import { expectedMaxSharpe } from './dsr.ts';
import type { TrialDispersion } from './dsr.ts';
import { varianceMaxNormal } from './max-normal.ts';
import { normalCdf, normalSurvival, normalUpperQuantile } from './normal.ts';
import { requireAtLeast, requireFinite, requireNonExcessKurtosis, requireOpenUnit } from './validate.ts';

export interface Moments2025 {
  /** Skewness g3 of the per-bar returns (default 0). */
  readonly skewness?: number;
  /** NON-excess kurtosis g4 (default 3). */
  readonly kurtosis?: number;
  /** First-order autocorrelation ρ of the returns, |ρ| < 1 (default 0). */
  readonly autocorrelation?: number;
}

export interface SharpeVariance2025Input extends Moments2025 {
  /** The Sharpe ratio at which the variance is evaluated (the null SR0 in PSR/MinTRL/DSR). */
  readonly sharpe: number;
  /** Number of bars T (T = 1 gives the per-observation variance MinTRL uses). */
  readonly bars: number;
  /** K: multiply by Var[max of K N(0,1)] (default 1 → factor 1). */
  readonly trials?: number;
}

/**
 * Variance of the per-bar Sharpe estimator, V(SR; T, ρ)·Var[max_K] (2025 paper; stats.md §1,
 * vector Z1: √V at SR-hat = 0.3285886 non-Gaussian, 0.2144595 Gaussian).
 */
export function sharpeVariance2025(input: SharpeVariance2025Input): number {
  const { sharpe, bars, skewness = 0, kurtosis = 3, autocorrelation: rho = 0, trials = 1 } = input;
  requireFinite(sharpe, 'sharpe');
  requireAtLeast(bars, 1, 'bars (T)');
  requireNonExcessKurtosis(skewness, kurtosis);
  if (!(Math.abs(rho) < 1)) throw new RangeError(`autocorrelation must be in (−1, 1), got ${rho}`);
  const B = rho / (1 - rho);
  const C = (rho * rho) / (1 - rho * rho);
  const a = 1 + 2 * B;
  const b = 1 + B + C;
  const c = 1 + 2 * C;
  const v = (a - b * skewness * sharpe + ((c * (kurtosis - 1)) / 4) * sharpe * sharpe) / bars;
  if (!(v > 0)) throw new RangeError(`Sharpe variance must be > 0, got ${v} (check skewness/kurtosis/autocorrelation)`);
  return trials === 1 ? v : v * varianceMaxNormal(trials);
}

export interface Psr2025Input extends Moments2025 {
  /** Observed per-bar Sharpe ratio. */
  readonly sharpe: number;
  /** Null per-bar Sharpe SR0 (default 0). */
  readonly benchmark?: number;
  /** Number of bars T >= 1. */
  readonly bars: number;
}

function zAtNull(input: Psr2025Input): number {
  const { sharpe, benchmark = 0 } = input;
  requireFinite(benchmark, 'benchmark');
  return (sharpe - benchmark) / Math.sqrt(sharpeVariance2025({ ...input, sharpe: benchmark, trials: 1 }));
}

/**
 * PSR, 2025 convention: Φ((SR − SR0)/√V(SR0; T, ρ)) (stats.md Z3: 0.9872073 at SR0 = 0,
 * 0.9391476 at SR0 = 0.1).
 */
export function probabilisticSharpeRatio2025(input: Psr2025Input): number {
  return normalCdf(zAtNull(input));
}

export interface MinTrl2025Input extends Moments2025 {
  readonly sharpe: number;
  /** Null per-bar Sharpe SR0 (default 0). */
  readonly benchmark?: number;
  /** Significance α (default 0.05). */
  readonly alpha?: number;
}

/**
 * MinTRL in BARS, 2025 convention: V(SR0; T = 1, ρ)·(Φ⁻¹(1 − α)/(SR − SR0))² — no "+1"
 * (stats.md Z2: 13.0287783 at SR0 = 0, 27.1091545 at SR0 = 0.1). Infinity when SR <= SR0.
 */
export function minTrackRecordLength2025(input: MinTrl2025Input): number {
  const { sharpe, benchmark = 0, alpha = 0.05 } = input;
  requireFinite(sharpe, 'sharpe');
  requireFinite(benchmark, 'benchmark');
  requireOpenUnit(alpha, 'alpha');
  const v1 = sharpeVariance2025({ ...input, sharpe: benchmark, bars: 1, trials: 1 });
  if (!(sharpe > benchmark)) return Infinity;
  const z = normalUpperQuantile(alpha) / (sharpe - benchmark);
  return v1 * z * z;
}

export interface Dsr2025Input extends Moments2025, TrialDispersion {
  readonly sharpe: number;
  readonly bars: number;
}

/**
 * DSR, 2025 convention: Φ((SR − SR0)/√(V(SR0; T, ρ)·Var[max_K])) with SR0 = mean +
 * √Var{SR_k}·EmaxZ(K) (stats.md Z6: 0.4163603 for K = 10, Var{SR_k} = 0.1).
 */
export function deflatedSharpeRatio2025(input: Dsr2025Input): { readonly dsr: number; readonly sr0: number } {
  const sr0 = expectedMaxSharpe(input);
  requireFinite(input.sharpe, 'sharpe');
  const v = sharpeVariance2025({ ...input, sharpe: sr0 });
  return { dsr: normalCdf((input.sharpe - sr0) / Math.sqrt(v)), sr0 };
}

export interface Power2025Input extends Moments2025 {
  /** SR0, the null per-bar Sharpe. */
  readonly nullSharpe: number;
  /** SR1, the alternative per-bar Sharpe. */
  readonly alternativeSharpe: number;
  readonly bars: number;
  /** Significance α (default 0.05). */
  readonly alpha?: number;
}

/**
 * Power of the one-sided Sharpe test: SRc = SR0 + Φ⁻¹(1 − α)·√V(SR0); β = Φ((SRc − SR1)/√V(SR1));
 * power = 1 − β (2025 paper; stats.md Z4: β = 0.3152080 for SR1 = .5).
 */
export function sharpePower2025(input: Power2025Input): { readonly power: number; readonly beta: number; readonly criticalSharpe: number } {
  const { nullSharpe, alternativeSharpe, alpha = 0.05 } = input;
  requireFinite(nullSharpe, 'nullSharpe');
  requireFinite(alternativeSharpe, 'alternativeSharpe');
  requireOpenUnit(alpha, 'alpha');
  const criticalSharpe = nullSharpe + normalUpperQuantile(alpha) * Math.sqrt(sharpeVariance2025({ ...input, sharpe: nullSharpe, trials: 1 }));
  const z = (criticalSharpe - alternativeSharpe) / Math.sqrt(sharpeVariance2025({ ...input, sharpe: alternativeSharpe, trials: 1 }));
  return { power: normalSurvival(z), beta: normalCdf(z), criticalSharpe };
}

/**
 * Posterior (planning) FDR: 1 / (1 + (1 − β)·p1 / (α·(1 − p1))), p1 = P[H1] (2025 paper;
 * stats.md Z4: 0.5810398 for p1 = .05, α = .05, β = .315).
 */
export function posteriorFalseDiscoveryRate(priorAlternative: number, alpha: number, beta: number): number {
  requireOpenUnit(priorAlternative, 'priorAlternative (p1)');
  requireOpenUnit(alpha, 'alpha');
  if (!(beta >= 0 && beta < 1)) throw new RangeError(`beta must be in [0, 1), got ${beta}`);
  return 1 / (1 + ((1 - beta) * priorAlternative) / (alpha * (1 - priorAlternative)));
}

export interface ObservedFdrInput extends Moments2025 {
  readonly sharpe: number;
  readonly nullSharpe: number;
  readonly alternativeSharpe: number;
  readonly bars: number;
  /** p1 = P[H1]. */
  readonly priorAlternative: number;
}

/**
 * Observed FDR: P[H0 | SR observed] = p0·(1 − p1) / (p0·(1 − p1) + pA·p1), where p0 = 1 − PSR(SR; SR0)
 * and pA = 1 − PSR(SR; SR1), both 2025-PSR (stats.md Z4: 0.3058564 for SR0 = 0, SR1 = .5, p1 = .05).
 */
export function observedFalseDiscoveryRate(input: ObservedFdrInput): number {
  const { sharpe, nullSharpe, alternativeSharpe, priorAlternative: p1 } = input;
  requireOpenUnit(p1, 'priorAlternative (p1)');
  const p0 = normalSurvival(zAtNull({ ...input, sharpe, benchmark: nullSharpe }));
  const pA = normalSurvival(zAtNull({ ...input, sharpe, benchmark: alternativeSharpe }));
  const h0 = p0 * (1 - p1);
  return h0 / (h0 + pA * p1);
}
