import { forEachFiniteRun, nanColumn } from './columns.ts';

/**
 * On-balance volume: a running total that adds the bar's volume on an up close, subtracts it on
 * a down close. It starts at bar 1 with ±volume[1] (or 0), as technicalindicators does; bar 0
 * has no previous close. The level is arbitrary (only its changes mean something) and restarts
 * at 0 after a NaN.
 */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const out = nanColumn(close.length);
  forEachFiniteRun([close, volume], (from, to) => {
    let total = 0;
    for (let t = from + 1; t < to; t++) {
      const c = close[t]!;
      const prev = close[t - 1]!;
      if (c > prev) total = total + volume[t]!;
      else if (c < prev) total = total - volume[t]!;
      out[t] = total;
    }
  });
  return out;
}
