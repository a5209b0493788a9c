import { requirePeriod } from './columns.ts';
import { scratchF64 } from '../workspace.ts';

/**
 * Simple moving average: defined from bar period − 1. A NaN input is a break: NaN there and a
 * fresh warm-up after it (see forEachFiniteRun). The break test is one predictable branch inside
 * each run, so the kernel stays a single pass whose cost is the rolling sum's own dependency chain.
 */
export function sma(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const n = src.length;
  const out = scratchF64(n);
  let i = 0;
  while (i < n) {
    const start = i;
    let sum = 0;
    // Warm-up: sum the first `period` values of the run.
    for (; i < n && i - start < period; i++) {
      const v = src[i]!;
      if (v !== v) break;
      sum += v;
      out[i] = NaN;
    }
    if (i - start === period) {
      out[i - 1] = sum / period;
      // (sum − oldest) + newest: the order technicalindicators uses, so every bit matches.
      for (; i < n; i++) {
        const v = src[i]!;
        if (v !== v) break;
        sum = sum - src[i - period]! + v;
        out[i] = sum / period;
      }
    }
    if (i < n) out[i++] = NaN; // the NaN that ended the run
  }
  return out;
}
