// Retention of an edge and its one-sided upper confidence bound (docs/statistics.md).
// R = ē_B / ē_A, defined for ē_A > 0. Delta method (first-order Taylor expansion of B/A):
//   Var(R) ≈ Var_B / ē_A² + ē_B² · Var_A / ē_A⁴ − 2 · ē_B · Cov_AB / ē_A³,
// and the one-sided upper bound at confidence 1 − α is R + z_{1−α} · √Var(R). A FAIL needs the bound
// below the threshold: a collapse the sampling noise cannot explain.

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

/** z defaults to Φ⁻¹(0.95). Throws RangeError when ē_A ≤ 0 (no edge on the reference: nothing to retain). */
export function retentionBound(x: RetentionInput, z = 1.6448536269514722): RetentionBound {
  const { meanA: a, meanB: b, varA, varB, cov } = x;
  if (!(a > 0)) throw new RangeError(`retentionBound: the reference mean must be > 0, got ${a}`);
  const ratio = b / a;
  const v = varB / (a * a) + (b * b * varA) / (a * a * a * a) - (2 * b * cov) / (a * a * a);
  // Rounding can take an exact 0 a hair below it; a negative variance is not a measurement.
  const se = Math.sqrt(Math.max(0, v));
  return { ratio, se, upper: ratio + z * se };
}
