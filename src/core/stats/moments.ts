// Sample moments of a return series, with the conventions the PSR/DSR formulas expect
// (stats.md notation): g3 = skewness and g4 = NON-excess kurtosis (normal = 3), both the
// population (biased, moment-ratio) estimators m3/m2^{3/2} and m4/m2² — what
// scipy.stats.skew and scipy.stats.kurtosis(fisher=False) return. Note pandas' .skew() and
// .kurtosis() are bias-adjusted and the latter is *excess*; do not mix them in.
// Every sum is taken around a refined mean (two-pass with correction), so returns with a
// large common offset keep their precision.

import { requireFiniteArray, requireIntegerAtLeast } from './validate.ts';

function requireSample(x: ArrayLike<number>, min: number, what: string): void {
  if (x.length < min) throw new RangeError(`${what}: need at least ${min} observations, got ${x.length}`);
  requireFiniteArray(x, what);
}

function centre(x: ArrayLike<number>): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  let m = s / n;
  // One correction pass: the mean of the residuals removes most of the rounding in s.
  let r = 0;
  for (let i = 0; i < n; i++) r += x[i]! - m;
  m += r / n;
  return m;
}

/** Arithmetic mean. */
export function mean(x: ArrayLike<number>): number {
  requireSample(x, 1, 'mean');
  return centre(x);
}

/** Variance Σ(x − x̄)² / (n − ddof); ddof = 1 (default) is the sample variance, 0 the population one. */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  requireIntegerAtLeast(ddof, 0, 'variance: ddof');
  requireSample(x, ddof + 1, 'variance');
  const n = x.length;
  const m = centre(x);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    s1 += d;
    s2 += d * d;
  }
  return (s2 - (s1 * s1) / n) / (n - ddof);
}

/** Standard deviation √variance(x, ddof). */
export function standardDeviation(x: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(x, ddof));
}

export interface Moments {
  readonly n: number;
  readonly mean: number;
  /** Sample variance, ddof = 1. */
  readonly variance: number;
  /** g3 = m3 / m2^{3/2} (population). NaN when the series is constant. */
  readonly skewness: number;
  /** g4 = m4 / m2² (population, NON-excess: normal = 3). NaN when the series is constant. */
  readonly kurtosis: number;
}

/** Mean, sample variance, population skewness g3 and non-excess kurtosis g4 in two passes. */
export function moments(x: ArrayLike<number>): Moments {
  requireSample(x, 2, 'moments');
  const n = x.length;
  const m = centre(x);
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    const d2 = d * d;
    s1 += d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const ss = s2 - (s1 * s1) / n;
  const m2 = s2 / n;
  const constant = !(m2 > 0);
  return {
    n,
    mean: m,
    variance: ss / (n - 1),
    skewness: constant ? NaN : s3 / n / Math.pow(m2, 1.5),
    kurtosis: constant ? NaN : s4 / n / (m2 * m2),
  };
}

/** Population skewness g3 = m3 / m2^{3/2}. NaN for a constant series. */
export function skewness(x: ArrayLike<number>): number {
  return moments(x).skewness;
}

/** Population NON-excess kurtosis g4 = m4 / m2² (normal = 3). NaN for a constant series. */
export function kurtosis(x: ArrayLike<number>): number {
  return moments(x).kurtosis;
}
