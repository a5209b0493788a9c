// Multiple-testing adjustments of p-values, as used by Harvey & Liu (2015) "Backtesting",
// JPM 42(1) (stats.md §4):
//   Bonferroni: p_adj = min(M·p, 1)
//   Holm (FWER, step-down; Holm 1979): p_adj_(i) = min(1, max_{j<=i} (M − j + 1)·p_(j))
//   BHY (FDR under arbitrary dependence; Benjamini & Yekutieli 2001):
//     c(M) = Σ_{j=1..M} 1/j;  p_adj_(M) = min(1, c(M)·p_(M));  p_adj_(i) = min(p_adj_(i+1), M·c(M)/i·p_(i))
//   BH (FDR under independence/PRDS; Benjamini & Hochberg 1995) is BHY with c(M) = 1.
// All functions return adjusted p-values in the INPUT order; reject H_i at level α iff p_adj_i <= α.
// stats.md's formula line starts the BHY recursion at p_adj_(M) = p_(M), but its own H1 vector
// (.147 = 2.45 × .06) and verify_stats.py use c(M)·p_(M) — the standard form (R p.adjust "BY").
// We follow the vector.

import { requireClosedUnit, requireOpenUnit } from './validate.ts';

function checked(pValues: ArrayLike<number>, what: string): number[] {
  if (pValues.length < 1) throw new RangeError(`${what}: need at least one p-value`);
  const out: number[] = [];
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    requireClosedUnit(p, `${what}: p[${i}]`);
    out.push(p);
  }
  return out;
}

/** Indices that sort p ascending; ties keep input order (stable), which leaves adjusted values unchanged. */
function ascendingOrder(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
}

/** Bonferroni-adjusted p-values min(M·p, 1) (FWER). */
export function bonferroni(pValues: ArrayLike<number>): Float64Array {
  const p = checked(pValues, 'bonferroni');
  const m = p.length;
  return Float64Array.from(p, (x) => Math.min(1, m * x));
}

/** Holm step-down adjusted p-values (FWER under any dependence; Holm 1979; stats.md H1). */
export function holm(pValues: ArrayLike<number>): Float64Array {
  const p = checked(pValues, 'holm');
  const m = p.length;
  const out = new Float64Array(m);
  let running = 0;
  ascendingOrder(p).forEach((idx, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p[idx]!));
    out[idx] = running;
  });
  return out;
}

/** Harmonic number c(M) = Σ_{j=1..M} 1/j, the BHY dependence penalty. */
export function harmonicNumber(m: number): number {
  let c = 0;
  for (let j = m; j >= 1; j--) c += 1 / j; // small terms first
  return c;
}

function stepUp(p: readonly number[], c: number): Float64Array {
  const m = p.length;
  const order = ascendingOrder(p);
  const out = new Float64Array(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const idx = order[rank - 1]!;
    running = Math.min(running, ((m * c) / rank) * p[idx]!);
    out[idx] = running;
  }
  return out;
}

/**
 * Benjamini–Hochberg–Yekutieli adjusted p-values: FDR control under ARBITRARY dependence
 * (Benjamini & Yekutieli 2001, Thm 1.3; HL 2015; stats.md H1: c(6) = 2.45, adj
 * [.0496125 ×4, .1323, .147]).
 */
export function benjaminiHochbergYekutieli(pValues: ArrayLike<number>): Float64Array {
  const p = checked(pValues, 'benjaminiHochbergYekutieli');
  return stepUp(p, harmonicNumber(p.length));
}

/** Benjamini–Hochberg adjusted p-values: FDR control under independence or positive dependence (1995). */
export function benjaminiHochberg(pValues: ArrayLike<number>): Float64Array {
  return stepUp(checked(pValues, 'benjaminiHochberg'), 1);
}

/**
 * BHY step-up thresholds k·α/(M·c(M)), k = 1..M: reject p_(1..k*) for the largest k* with
 * p_(k*) <= threshold k* (stats.md H1: [.0034, .0068, .0102, .01361, .01701, .02041] at α = .05, M = 6).
 */
export function bhyThresholds(m: number, alpha = 0.05): Float64Array {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`bhyThresholds: M must be an integer >= 1, got ${m}`);
  requireOpenUnit(alpha, 'alpha');
  const c = harmonicNumber(m);
  return Float64Array.from({ length: m }, (_, k) => ((k + 1) * alpha) / (m * c));
}

/** Rejection set at level α from adjusted p-values: true where p_adj <= α. */
export function rejected(adjustedPValues: ArrayLike<number>, alpha = 0.05): boolean[] {
  requireOpenUnit(alpha, 'alpha');
  return Array.from(checked(adjustedPValues, 'rejected'), (p) => p <= alpha);
}
