// Automatic mean block length for the stationary bootstrap: Politis & White (2004) "Automatic
// block-length selection for the dependent bootstrap", Econometric Reviews 23(1), with the
// Patton, Politis & White (2009) correction, exactly as arch `base.py::_single_optimal_block`
// computes it (stats.md §5):
//   b_SB = (2·G²/D_SB)^{1/3}·n^{1/3},  G = Σ_{|k|<=m} h(k/m)|k|γ̂_k,  D_SB = 2·(Σ_{|k|<=m} h(k/m)γ̂_k)²,
//   h(x) = min(1, 2(1 − |x|));  m = 2·max(m̂, 1), m̂ the smallest lag starting k_n = max(5, ⌊log10 n⌋)
//   consecutive |ρ̂| < 2√(log10 n / n);  m <= ⌈√n⌉ + k_n;  b <= ⌈min(3√n, n/3)⌉.
// arch normalises ρ̂_k by the sums of squares over the lag-(k+1) windows (its code); we copy that
// so the numbers match arch to rounding.

import { requireFiniteArray } from './validate.ts';

/**
 * Politis–White–Patton optimal mean block length for the stationary bootstrap of one series
 * (n >= 4, not constant). It can fall below 1 (even to 0) for white noise: use max(1, b).
 */
export function optimalStationaryBlockLength(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 4) throw new RangeError(`optimalStationaryBlockLength: need at least 4 observations, got ${n}`);
  requireFiniteArray(x, 'optimalStationaryBlockLength: x');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const eps = Float64Array.from({ length: n }, (_, i) => x[i]! - mean);
  if (eps.every((e) => e === 0)) throw new RangeError('optimalStationaryBlockLength: x is constant');
  const bMax = Math.ceil(Math.min(3 * Math.sqrt(n), n / 3));
  const kn = Math.max(5, Math.trunc(Math.log10(n)));
  const mMax = Math.ceil(Math.sqrt(n)) + kn;
  const cv = 2 * Math.sqrt(Math.log10(n) / n);
  const acv = new Float64Array(mMax + 1);
  const absAcorr = new Float64Array(mMax + 1);
  let optM: number | null = null;
  for (let i = 0; i <= mMax; i++) {
    let v1 = 0;
    let v2 = 0;
    let cross = 0;
    for (let t = i + 1; t < n; t++) v1 += eps[t]! * eps[t]!;
    for (let t = 0; t < n - (i + 1); t++) v2 += eps[t]! * eps[t]!;
    for (let t = i; t < n; t++) cross += eps[t]! * eps[t - i]!;
    acv[i] = cross / n;
    absAcorr[i] = Math.abs(cross) / Math.sqrt(v1 * v2);
    if (i >= kn && optM === null) {
      let allSmall = true;
      for (let j = i - kn; j < i; j++) if (!(absAcorr[j]! < cv)) allSmall = false;
      if (allSmall) optM = i - kn;
    }
  }
  const m = Math.min(optM !== null ? 2 * Math.max(optM, 1) : mMax, mMax);
  let g = 0;
  let lrAcv = acv[0]!;
  for (let k = 1; k <= m; k++) {
    const lam = k / m <= 0.5 ? 1 : 2 * (1 - k / m);
    g += 2 * lam * k * acv[k]!;
    lrAcv += 2 * lam * acv[k]!;
  }
  const dSb = 2 * lrAcv * lrAcv;
  const b = Math.cbrt((2 * g * g) / dSb) * Math.cbrt(n);
  return Math.min(b, bMax);
}
