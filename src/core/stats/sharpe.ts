// Per-bar Sharpe ratio and its IID annualisation (DESIGN §5, stats.md §6).
// Every deflation formula in this folder takes the PER-BAR Sharpe and T = number of bars;
// annualised figures are for reports only.

import { mean, variance } from './moments.ts';
import { requireAtLeast, requireFinite, requireFiniteArray } from './validate.ts';

/**
 * Per-bar Sharpe ratio mean(r) / std(r, ddof 1), no risk-free rate (returns are already
 * excess or the benchmark is cash). 0 when the standard deviation is 0 (DESIGN §5).
 */
export function sharpeRatio(returns: ArrayLike<number>): number {
  if (returns.length < 2) throw new RangeError(`sharpeRatio: need at least 2 returns, got ${returns.length}`);
  requireFiniteArray(returns, 'sharpeRatio: returns');
  const sd = Math.sqrt(variance(returns, 1));
  return sd > 0 ? mean(returns) / sd : 0;
}

/** SR_annual = SR_bar · √(bars per year) — IID scaling; autocorrelation needs the Lo/HL factor. */
export function annualizeSharpe(sharpePerBar: number, barsPerYear: number): number {
  requireFinite(sharpePerBar, 'annualizeSharpe: sharpe');
  requireAtLeast(barsPerYear, Number.MIN_VALUE, 'annualizeSharpe: barsPerYear');
  return sharpePerBar * Math.sqrt(barsPerYear);
}

/** SR_bar = SR_annual / √(bars per year). */
export function deannualizeSharpe(sharpeAnnual: number, barsPerYear: number): number {
  requireFinite(sharpeAnnual, 'deannualizeSharpe: sharpe');
  requireAtLeast(barsPerYear, Number.MIN_VALUE, 'deannualizeSharpe: barsPerYear');
  return sharpeAnnual / Math.sqrt(barsPerYear);
}

/** A variance of annual Sharpe ratios in per-bar units: Var_bar = Var_annual / (bars per year). */
export function deannualizeSharpeVariance(varianceAnnual: number, barsPerYear: number): number {
  requireAtLeast(varianceAnnual, 0, 'deannualizeSharpeVariance: variance');
  requireAtLeast(barsPerYear, Number.MIN_VALUE, 'deannualizeSharpeVariance: barsPerYear');
  return varianceAnnual / barsPerYear;
}
