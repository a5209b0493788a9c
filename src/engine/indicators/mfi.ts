import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';
import { typicalPrice } from './typical-price.ts';

/**
 * Money flow index: 100 − 100 / (1 + positive flow / negative flow) over the last `period`
 * flows, a flow being typical price · volume, positive when the typical price rose.
 *
 * Follows technicalindicators exactly, two quirks included: bar 0 is never used (the first
 * flow compares bar 2 with bar 1), so the first value is at bar period + 1, one bar later than
 * the textbook; and an unchanged typical price counts as negative flow, not as none. 100 when
 * the negative flow is 0, NaN when both are. Unlike technicalindicators it is not rounded.
 */
export function mfi(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const tp = typicalPrice(high, low, close);
  const out = nanColumn(close.length);
  forEachFiniteRun([tp, volume], (from, to) => {
    let positive = 0;
    let negative = 0;
    for (let t = from + 2; t < to; t++) {
      const count = t - from - 1;
      if (count > period) {
        // The flow leaving the window is recomputed rather than stored: same bits, no buffer.
        const old = t - period;
        const oldFlow = tp[old]! * volume[old]!;
        if (tp[old]! > tp[old - 1]!) positive = positive - oldFlow;
        else negative = negative - oldFlow;
      }
      const flow = tp[t]! * volume[t]!;
      if (tp[t]! > tp[t - 1]!) positive = positive + flow;
      else negative = negative + flow;
      if (count >= period) out[t] = 100 - 100 / (1 + positive / negative);
    }
  });
  return out;
}
