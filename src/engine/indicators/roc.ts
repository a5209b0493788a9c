import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';

/** Rate of change in percent, 100·(x[t] − x[t−period]) / x[t−period]: defined from bar `period`. ±Infinity or NaN where x[t−period] is 0. */
export function roc(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const out = nanColumn(src.length);
  forEachFiniteRun([src], (from, to) => {
    for (let t = from + period; t < to; t++) {
      const past = src[t - period]!;
      out[t] = ((src[t]! - past) / past) * 100;
    }
  });
  return out;
}
