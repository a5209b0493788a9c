import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';

/** Linearly weighted moving average (newest weight `period`, oldest 1): defined from bar period − 1. */
export function wma(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const out = nanColumn(src.length);
  const denominator = (period * (period + 1)) / 2;
  forEachFiniteRun([src], (from, to) => {
    const first = from + period - 1;
    if (first >= to) return;
    let sum = 0;
    let weighted = 0;
    for (let k = 0; k < period; k++) {
      const x = src[from + k]!;
      sum += x;
      weighted += (k + 1) * x;
    }
    out[first] = weighted / denominator;
    // Sliding the window lowers every weight by one (− sum) and adds the newest at full weight,
    // which keeps the kernel O(n); technicalindicators re-sums the window (O(n·period)), so the
    // two agree to ~1e-15 relative rather than bit for bit.
    for (let i = first + 1; i < to; i++) {
      const x = src[i]!;
      weighted = weighted - sum + period * x;
      sum = sum - src[i - period]! + x;
      out[i] = weighted / denominator;
    }
  });
  return out;
}
