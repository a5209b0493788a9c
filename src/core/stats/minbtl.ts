// Minimum Backtest Length: Bailey, Borwein, López de Prado & Zhu (2014) "Pseudo-mathematics
// and financial charlatanism: the effects of backtest overfitting on out-of-sample
// performance", Notices AMS 61(5) 458–471 (SSRN 2308659). stats.md §2:
//   MinBTL ≈ (EmaxZ(N) / E_target)²  <  2·ln(N) / E_target²      years
// E_target is the ANNUALISED Sharpe one does not want to obtain by luck alone. A necessary,
// not sufficient, condition: it ignores non-normality and the real trial dispersion (DSR does not).

import { expectedMaxZ } from './max-normal.ts';
import { requireAtLeast } from './validate.ts';

function requireTarget(targetSharpe: number): void {
  if (!(targetSharpe > 0) || !Number.isFinite(targetSharpe)) {
    throw new RangeError(`targetSharpe (annualised) must be finite and > 0, got ${targetSharpe}`);
  }
}

/**
 * MinBTL in YEARS of IID observations so that the best of N unskilled trials is not expected to
 * reach an annual Sharpe of `targetSharpe`: (EmaxZ(N)/E)² (stats.md B1: N = 45, E = 1 → 4.998…).
 */
export function minBacktestLength(trials: number, targetSharpe = 1): number {
  requireAtLeast(trials, 1, 'trials (N)');
  requireTarget(targetSharpe);
  const r = expectedMaxZ(trials) / targetSharpe;
  return r * r;
}

/** The paper's closed-form upper bound on MinBTL: 2·ln(N)/E² years (stats.md B1: 7.6133 for N = 45). */
export function minBacktestLengthBound(trials: number, targetSharpe = 1): number {
  requireAtLeast(trials, 1, 'trials (N)');
  requireTarget(targetSharpe);
  return (2 * Math.log(trials)) / (targetSharpe * targetSharpe);
}

/**
 * The largest integer N with EmaxZ(N)/√years <= targetSharpe: how many independent
 * configurations `years` of data can afford (stats.md B3, B4: 1 y → 3, 2 → 7, 5 → 45, 10 → 724).
 * Infinity if the answer exceeds 2^53 (EmaxZ grows like √(2 ln N), so only for decades of data).
 */
export function maxTrialsForBacktest(years: number, targetSharpe = 1): number {
  if (!(years > 0) || !Number.isFinite(years)) throw new RangeError(`years must be finite and > 0, got ${years}`);
  requireTarget(targetSharpe);
  const limit = targetSharpe * Math.sqrt(years);
  const ok = (n: number): boolean => expectedMaxZ(n) <= limit;
  // EmaxZ is increasing in N: bracket by doubling, then bisect on integers.
  let lo = 1;
  let hi = 2;
  while (ok(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
