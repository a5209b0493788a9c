import { nanColumn, requirePeriod } from './columns.ts';
import { sma } from './sma.ts';
import { typicalPrice } from './typical-price.ts';

/**
 * Commodity channel index: (tp − SMA(tp)) / (0.015 · mean absolute deviation of tp from that
 * SMA), tp the typical price: defined from bar period − 1. ±Infinity or NaN on a flat window.
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const n = close.length;
  const tp = typicalPrice(high, low, close);
  const mean = sma(tp, period);
  const out = nanColumn(n);
  for (let t = period - 1; t < n; t++) {
    const m = mean[t]!;
    if (Number.isNaN(m)) continue;
    // The mean deviation has no running update (each |tp − m| changes with m), so it costs
    // O(period) per bar; summed oldest first, as technicalindicators does, for identical bits.
    let deviation = 0;
    for (let j = t - period + 1; j <= t; j++) deviation += Math.abs(tp[j]! - m);
    out[t] = (tp[t]! - m) / (0.015 * (deviation / period));
  }
  return out;
}
