import { requirePeriod } from './columns.ts';
import { scratchF64 } from '../workspace.ts';

/**
 * Simple moving average: defined from bar period − 1. A NaN input is a break: NaN there and a
 * fresh warm-up after it (see forEachFiniteRun).
 *
 * The window sum is compensated (Neumaier/Knuth two-sum): `sum` is the running float sum and
 * `comp` collects, exactly, the rounding error of every addition and subtraction made to it, so
 * `sum + comp` is the window's exact sum rounded once, and the mean equals the correctly rounded
 * window sum (Python's math.fsum) divided by the period. A plain rolling sum drifts by a few ulps
 * over a long series, enough to make two averages that are equal in decimal arithmetic differ by
 * 1e-14 and fire a cross that is not there (pandas compensates its rolling sums for the same reason).
 * The error terms hang off the sum's dependency chain, so the kernel keeps the plain sum's latency.
 */
export function sma(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const n = src.length;
  const out = scratchF64(n);
  let i = 0;
  while (i < n) {
    const start = i;
    let sum = 0;
    let comp = 0;
    // Warm-up: sum the first `period` values of the run.
    for (; i < n && i - start < period; i++) {
      const v = src[i]!;
      if (v !== v) break;
      const t = sum + v;
      const vv = t - sum;
      comp += (sum - (t - vv)) + (v - vv);
      sum = t;
      out[i] = NaN;
    }
    if (i - start === period) {
      out[i - 1] = (sum + comp) / period;
      for (; i < n; i++) {
        const v = src[i]!;
        if (v !== v) break;
        const old = src[i - period]!;
        // Two-sum of (sum − old) then of (+ v): each error term is exact, and both go to comp.
        const a = sum - old;
        const oo = sum - a;
        const e1 = (sum - (a + oo)) + (oo - old);
        const b = a + v;
        const vv = b - a;
        const e2 = (a - (b - vv)) + (v - vv);
        sum = b;
        comp = comp + e1 + e2;
        out[i] = (sum + comp) / period;
      }
    }
    if (i < n) out[i++] = NaN; // the NaN that ended the run
  }
  return out;
}
