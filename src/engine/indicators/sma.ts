import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';

/** Simple moving average: defined from bar period − 1. */
export function sma(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const out = nanColumn(src.length);
  forEachFiniteRun([src], (from, to) => {
    const first = from + period - 1;
    if (first >= to) return;
    let sum = 0;
    for (let i = from; i <= first; i++) sum += src[i]!;
    out[first] = sum / period;
    // A running sum updated as (sum − oldest) + newest: the order technicalindicators uses, so the
    // rounding, and therefore every bit, is the same.
    for (let i = first + 1; i < to; i++) {
      sum = sum - src[i - period]! + src[i]!;
      out[i] = sum / period;
    }
  });
  return out;
}
