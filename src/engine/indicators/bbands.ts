import { nanColumn, requirePeriod } from './columns.ts';
import { sma } from './sma.ts';

export interface Bands {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Bollinger bands: SMA(period) ± stddev · σ, σ the population standard deviation (÷ period, as
 * technicalindicators and TradingView): defined from bar period − 1.
 */
export function bbands(src: Float64Array, period: number, stddev: number): Bands {
  requirePeriod('period', period);
  const n = src.length;
  const middle = sma(src, period);
  const upper = nanColumn(n);
  const lower = nanColumn(n);
  for (let t = period - 1; t < n; t++) {
    const mean = middle[t]!;
    if (Number.isNaN(mean)) continue;
    // Two passes over the window (O(period) per bar) instead of a running sum of squares: a
    // running variance cancels catastrophically on flat windows (σ ≈ 1e-5 where it is 0), and
    // this is exactly technicalindicators' arithmetic, so the bands match it bit for bit.
    let squares = 0;
    for (let j = t - period + 1; j <= t; j++) {
      const d = src[j]! - mean;
      squares += d * d;
    }
    const sigma = Math.sqrt(squares / period);
    upper[t] = mean + sigma * stddev;
    lower[t] = mean - sigma * stddev;
  }
  return { upper, middle, lower };
}
