// Student-t distribution with ν degrees of freedom, via the regularized incomplete beta:
// P(T > t) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2 for t >= 0 (Abramowitz & Stegun 26.7.1 / 26.5.27).
// Used by the Harvey–Liu haircut (stats.md §4), which tests a Sharpe t-ratio against t_{T−1}.

import { regularizedIncompleteBeta } from './incomplete-beta.ts';
import { requireFinite } from './validate.ts';

function requireDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`Student t: degrees of freedom must be finite and > 0, got ${df}`);
}

/** Upper tail P(T_ν > t). */
export function studentTSurvival(t: number, df: number): number {
  requireFinite(t, 'Student t: t');
  requireDf(df);
  const t2 = t * t;
  const half = 0.5 * regularizedIncompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
  return t >= 0 ? half : 1 - half;
}

/** CDF P(T_ν <= t). */
export function studentTCdf(t: number, df: number): number {
  return studentTSurvival(-t, df);
}

/** Two-sided p-value P(|T_ν| >= |t|) = I_{ν/(ν+t²)}(ν/2, 1/2). */
export function studentTTwoSidedPValue(t: number, df: number): number {
  requireFinite(t, 'Student t: t');
  requireDf(df);
  const t2 = t * t;
  return regularizedIncompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/**
 * The t with P(T_ν > t) = tail, for any tail in (0, 1) (tails above 1/2 by symmetry).
 * Bisection on the monotone survival function to full double precision — robust, and cheap
 * next to everything that calls it.
 */
export function studentTUpperQuantile(tail: number, df: number): number {
  if (!(tail > 0 && tail < 1)) throw new RangeError(`studentTUpperQuantile: tail must be in (0, 1), got ${tail}`);
  requireDf(df);
  if (tail === 0.5) return 0;
  if (tail > 0.5) return -studentTUpperQuantile(1 - tail, df);
  let lo = 0;
  let hi = 1;
  while (studentTSurvival(hi, df) > tail) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 2000; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (studentTSurvival(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Quantile: the t with P(T_ν <= t) = p, for 0 < p < 1. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  return p < 0.5 ? -studentTUpperQuantile(p, df) : studentTUpperQuantile(1 - p, df);
}
