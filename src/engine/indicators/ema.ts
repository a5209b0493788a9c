import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';

/** Exponential moving average, α = 2 / (period + 1), seeded with the SMA of the first `period` values: defined from bar period − 1. */
export function ema(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  return smoothed(src, period, 2 / (period + 1));
}

/**
 * Wilder's moving average (Pine `ta.rma`, technicalindicators `WEMA`), α = 1 / period, seeded
 * with the SMA of the first `period` values: defined from bar period − 1. ATR and ADX use it.
 */
export function rma(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  return smoothed(src, period, 1 / period);
}

function smoothed(src: Float64Array, period: number, alpha: number): Float64Array {
  const out = nanColumn(src.length);
  forEachFiniteRun([src], (from, to) => {
    const first = from + period - 1;
    if (first >= to) return;
    let sum = 0;
    for (let i = from; i <= first; i++) sum += src[i]!;
    let prev = sum / period;
    out[first] = prev;
    for (let i = first + 1; i < to; i++) {
      // (x − prev)·α + prev rather than α·x + (1 − α)·prev: technicalindicators' form, bit for bit.
      prev = (src[i]! - prev) * alpha + prev;
      out[i] = prev;
    }
  });
  return out;
}
