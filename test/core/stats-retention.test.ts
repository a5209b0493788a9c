import { describe, expect, it } from 'vitest';
import { clusteredCovariance, retentionBound } from '../../src/core/stats/index.ts';

const Z95 = 1.6448536269514722;

describe('retention R = ē_B / ē_A and its one-sided upper bound (delta method)', () => {
  // Worked by hand: e = [1, 3, 2, 6, 7], clusters [0, 0, 1, 1, 2]; A = the full sample, B = the window of
  // the last three (B ⊂ A, the overlapping case of the subsample check).
  // ē_A = 19/5 = 3.8, ē_B = 15/3 = 5. u^A_g = Σ(e − 3.8)/5: g0 (−2.8 − 0.8)/5 = −0.72, g1 (−1.8 + 2.2)/5 = 0.08,
  // g2 3.2/5 = 0.64. u^B_g = Σ(e − 5)/3: g0 0, g1 (−3 + 1)/3 = −2/3, g2 2/3. G = 3 (A ∪ B), c = 3/2.
  // Var_A = 1.5·(0.5184 + 0.0064 + 0.4096) = 1.4016; Var_B = 1.5·(8/9) = 4/3; Cov = 1.5·(−0.08·2/3 + 0.64·2/3) = 0.56.
  // R = 5/3.8 = 25/19. Var(R) = Var_B/ē_A² + ē_B²·Var_A/ē_A⁴ − 2·ē_B·Cov/ē_A³
  //   = (4/3)(25/361) + 25·(876/625)(625/130321) − 10·0.56·(125/6859) = 100/1083 + 21900/130321 − 700/6859
  //   = (36100 + 65700 − 39900)/390963 = 61900/390963.
  it('the hand-worked overlapping case', () => {
    const p = clusteredCovariance([1, 3, 2, 6, 7], [0, 0, 1, 1, 2], [1, 1, 1, 1, 1], [0, 0, 1, 1, 1]);
    expect(p.meanA).toBeCloseTo(3.8, 15);
    expect(p.meanB).toBeCloseTo(5, 15);
    expect(p.varA).toBeCloseTo(1.4016, 14);
    expect(p.varB).toBeCloseTo(4 / 3, 14);
    expect(p.cov).toBeCloseTo(0.56, 14);
    const b = retentionBound(p);
    expect(b.ratio).toBeCloseTo(25 / 19, 15);
    expect(b.se).toBeCloseTo(Math.sqrt(61900 / 390963), 14);
    expect(b.upper).toBeCloseTo(25 / 19 + Z95 * Math.sqrt(61900 / 390963), 14);
  });

  it('a disjoint case (train vs test): e = [1, 3, 2, 6], clusters [0, 1, 1, 2], A = first three, B = last two', () => {
    // ē_A = 2, ē_B = 4, G = 3, c = 3/2. u^A = [−1/3, 1/3, 0], u^B = [0, −1, 1].
    // Var_A = 1.5·(2/9) = 1/3; Var_B = 1.5·2 = 3; Cov = 1.5·(1/3·(−1)) = −1/2.
    // Var(R) = 3/4 + 16·(1/3)/16 − 2·4·(−1/2)/8 = 0.75 + 1/3 + 0.5 = 19/12.
    const p = clusteredCovariance([1, 3, 2, 6], [0, 1, 1, 2], [1, 1, 1, 0], [0, 0, 1, 1]);
    expect([p.meanA, p.meanB]).toEqual([2, 4]);
    expect(p.varA).toBeCloseTo(1 / 3, 15);
    expect(p.varB).toBeCloseTo(3, 15);
    expect(p.cov).toBeCloseTo(-0.5, 15);
    const b = retentionBound(p);
    expect(b.ratio).toBe(2);
    expect(b.se).toBeCloseTo(Math.sqrt(19 / 12), 14);
    expect(b.upper).toBeCloseTo(2 + Z95 * Math.sqrt(19 / 12), 14);
  });

  it('another confidence level: z = 2.3263478740408408 (99 %) widens the same bound', () => {
    const b = retentionBound({ meanA: 2, meanB: 1, varA: 0, varB: 1, cov: 0 }, 2.3263478740408408);
    // Var(R) = 1/4 → se 0.5; upper = 0.5 + 2.3263478740408408·0.5.
    expect(b).toEqual({ ratio: 0.5, se: 0.5, upper: 0.5 + 2.3263478740408408 * 0.5 });
  });

  it('perfectly correlated halves with equal means: Var(R) = 0 up to rounding, never a negative variance', () => {
    // Var_A = Var_B = Cov = v and ē_A = ē_B = m: Var(R) = v/m² + v/m² − 2v/m² = 0.
    const b = retentionBound({ meanA: 0.3, meanB: 0.3, varA: 0.01, varB: 0.01, cov: 0.01 });
    expect(b.ratio).toBe(1);
    expect(b.se).toBeLessThan(1e-7);
    expect(Number.isNaN(b.se)).toBe(false);
  });

  it('no positive reference mean: no retention to bound (ē_A = 0 and ē_A < 0 refused)', () => {
    expect(() => retentionBound({ meanA: 0, meanB: 1, varA: 1, varB: 1, cov: 0 })).toThrow('retentionBound: the reference mean must be > 0, got 0');
    expect(() => retentionBound({ meanA: -0.01, meanB: 0.02, varA: 1, varB: 1, cov: 0 })).toThrow('retentionBound: the reference mean must be > 0, got -0.01');
    expect(() => retentionBound({ meanA: NaN, meanB: 0.02, varA: 1, varB: 1, cov: 0 })).toThrow(/reference mean must be > 0, got NaN/);
  });

  it('variances from fewer than two clusters (NaN) are refused, not turned into a bound', () => {
    const p = clusteredCovariance([1, 2, 3], [0, 0, 0], [1, 1, 0], [0, 1, 1]);
    expect(Number.isNaN(p.varA)).toBe(true);
    expect(() => retentionBound(p)).toThrow('retentionBound: varA must be a finite number, got NaN');
  });
});
