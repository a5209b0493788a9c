// Retention of an edge and its one-sided upper confidence bound (docs/statistics.md).
// R = ē_B / ē_A, defined for ē_A > 0. Delta method (first-order Taylor expansion of B/A):
//   Var(R) ≈ Var_B / ē_A² + ē_B² · Var_A / ē_A⁴ − 2 · ē_B · Cov_AB / ē_A³,
// and the one-sided upper bound at confidence 1 − α is R + z_{1−α} · √Var(R). A FAIL needs the bound
// below the threshold: a collapse the sampling noise cannot explain.

import { requireFinite } from './validate.ts';

export interface RetentionInput {
  meanA: number;
  meanB: number;
  varA: number;
  varB: number;
  cov: number;
}

export interface RetentionBound {
  ratio: number;
  se: number;
  upper: number;
}

/**
 * z defaults to Φ⁻¹(0.95) (one-sided 95 %). Throws RangeError when ē_A ≤ 0 — there is no edge on the
 * reference to retain, and a ratio with a non-positive denominator has no meaning as retention —
 * so callers check `meanA > 0` first and report that reason themselves (the robustness gate does);
 * also throws when an input is not finite (e.g. variances from fewer than 2 clusters).
 */
export function retentionBound(x: RetentionInput, z = 1.6448536269514722): RetentionBound {
  const { meanA: a, meanB: b, varA, varB, cov } = x;
  if (!(a > 0)) throw new RangeError(`retentionBound: the reference mean must be > 0, got ${a}`);
  requireFinite(a, 'retentionBound: meanA');
  requireFinite(b, 'retentionBound: meanB');
  requireFinite(varA, 'retentionBound: varA');
  requireFinite(varB, 'retentionBound: varB');
  requireFinite(cov, 'retentionBound: cov');
  requireFinite(z, 'retentionBound: z');
  const ratio = b / a;
  const v = varB / (a * a) + (b * b * varA) / (a * a * a * a) - (2 * b * cov) / (a * a * a);
  // A valid covariance matrix makes v ≥ 0 (it is gᵀVg); rounding can take an exact 0 a hair below it.
  const se = Math.sqrt(Math.max(0, v));
  return { ratio, se, upper: ratio + z * se };
}
