import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';

/**
 * Relative strength index with Wilder's averages of gains and losses, seeded with their plain
 * means over the first `period` changes: defined from bar `period`. 100 when the average loss is
 * 0 (even if the gain is 0 too), 0 when only the average gain is 0. Unlike technicalindicators,
 * the value is never rounded (DESIGN §3).
 */
export function rsi(src: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const out = nanColumn(src.length);
  forEachFiniteRun([src], (from, to) => {
    let avgGain = 0;
    let avgLoss = 0;
    for (let t = from + 1; t < to; t++) {
      const up = src[t]! - src[t - 1]!;
      const down = src[t - 1]! - src[t]!;
      const gain = up > 0 ? up : 0;
      const loss = down > 0 ? down : 0;
      const count = t - from;
      if (count <= period) {
        // Summed first and divided once, as technicalindicators seeds: same bits.
        avgGain += gain;
        avgLoss += loss;
        if (count < period) continue;
        avgGain /= period;
        avgLoss /= period;
      } else {
        avgGain = (avgGain * (period - 1) + gain) / period;
        avgLoss = (avgLoss * (period - 1) + loss) / period;
      }
      out[t] = avgLoss === 0 ? 100 : avgGain === 0 ? 0 : 100 - 100 / (1 + avgGain / avgLoss);
    }
  });
  return out;
}
