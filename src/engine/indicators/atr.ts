import { requirePeriod } from './columns.ts';
import { rma } from './ema.ts';
import { trueRange } from './true-range.ts';

/** Average true range: Wilder's average of the true range, seeded with the mean of the first `period` ranges (bars 1..period): defined from bar `period`. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  return rma(trueRange(high, low, close), period);
}
