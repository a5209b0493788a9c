import { f64Column } from '../workspace.ts';
import { requirePeriod, requireSameLength } from './columns.ts';
import { atr } from './atr.ts';
import type { Bands } from './bbands.ts';
import { ema } from './ema.ts';

/**
 * Keltner channels: middle = EMA(src, period), defined from bar period − 1; upper/lower =
 * middle ± multiplier · ATR(period), defined from bar `period`. technicalindicators'
 * KeltnerChannels with maPeriod = atrPeriod = period and useSMA = false.
 */
export function keltner(
  src: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array, period: number, multiplier: number,
): Bands {
  requirePeriod('period', period);
  const n = requireSameLength([src, high, low, close]);
  const middle = ema(src, period);
  const range = atr(high, low, close, period);
  const upper = f64Column(n);
  const lower = f64Column(n);
  for (let t = 0; t < n; t++) {
    upper[t] = middle[t]! + multiplier * range[t]!;
    lower[t] = middle[t]! - multiplier * range[t]!;
  }
  return { upper, middle, lower };
}
