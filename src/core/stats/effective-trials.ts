// Effective number of independent trials from their correlation matrix: the effective rank of
// Roy & Vetterli (2007), exp(entropy of the normalised eigenvalues), as in zoonek/2025-sharpe-ratio
// functions.py::effective_rank (stats.md §1 pitfall "Independent trials"). The DSR's N is the
// number of INDEPENDENT trials; a raw ledger count overstates it when trials are correlated.

import { requireFinite } from './validate.ts';

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (small matrices: N ≲ a few hundred). */
export function symmetricEigenvalues(matrix: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const n = matrix.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = matrix[i]!;
    if (row.length !== n) throw new RangeError(`matrix must be square: row ${i} has ${row.length} entries, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const v = row[j]!;
      requireFinite(v, `matrix[${i}][${j}]`);
      a[i * n + j] = v;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i * n + j]! - a[j * n + i]!) > 1e-12 * (1 + Math.abs(a[i * n + j]!))) {
        throw new RangeError(`matrix must be symmetric: [${i}][${j}] != [${j}][${i}]`);
      }
    }
  }
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        // Rotation angle that zeroes a[p][q] (Golub & Van Loan, symmetric Schur decomposition).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const eig = new Float64Array(n);
  for (let i = 0; i < n; i++) eig[i] = a[i * n + i]!;
  return eig;
}

/**
 * Effective rank exp(−Σ p_i ln p_i), p = positive eigenvalues / their sum (Roy & Vetterli 2007).
 * I₃ → 3; [[1,.1],[.1,1]] → 1.9900083; [[1,.1,.7],[.1,1,.8],[.7,.8,1]] → 1.8402004 (stats.md §1).
 * Eigenvalues at or below 1e-12·(largest) count as zero (rounding on a singular matrix).
 */
export function effectiveRank(correlation: ReadonlyArray<ArrayLike<number>>): number {
  if (correlation.length < 1) throw new RangeError('effectiveRank: need a non-empty matrix');
  const eig = symmetricEigenvalues(correlation);
  let max = 0;
  for (const e of eig) max = Math.max(max, e);
  if (!(max > 0)) throw new RangeError('effectiveRank: matrix has no positive eigenvalue');
  let sum = 0;
  for (const e of eig) if (e > 1e-12 * max) sum += e;
  let h = 0;
  for (const e of eig) {
    if (e > 1e-12 * max) {
      const p = e / sum;
      h -= p * Math.log(p);
    }
  }
  return Math.exp(h);
}
