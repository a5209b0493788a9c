import { forEachFiniteRun, nanColumn } from './columns.ts';

/**
 * max(high − low, |high − prev close|, |low − prev close|). Undefined on the first bar of a run,
 * which has no previous close: technicalindicators skips it too, where Pine would use high − low.
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = nanColumn(high.length);
  forEachFiniteRun([high, low, close], (from, to) => {
    for (let t = from + 1; t < to; t++) {
      const h = high[t]!;
      const l = low[t]!;
      const prevClose = close[t - 1]!;
      out[t] = Math.max(h - l, Math.abs(h - prevClose), Math.abs(l - prevClose));
    }
  });
  return out;
}
