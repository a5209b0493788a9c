import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';
import { rma } from './ema.ts';

export interface Adx {
  readonly adx: Float64Array;
  readonly pdi: Float64Array;
  readonly mdi: Float64Array;
}

/**
 * Wilder's directional movement index. +DI and −DI are 100 · smoothed ±DM / smoothed TR, with
 * Wilder's running sums (seeded with the plain sum of the first `period` values, bars 1..period):
 * defined from bar `period`. ADX is Wilder's average of DX = 100 · |+DI − −DI| / (+DI + −DI):
 * defined from bar 2·period − 1.
 *
 * technicalindicators reports +DI/−DI only from bar 2·period − 1, next to the first ADX; they
 * are well defined `period − 1` bars earlier, so we give them from there. DX is NaN when
 * +DI + −DI = 0 (no directional movement for a whole period); ADX then restarts its warm-up
 * instead of staying NaN for the rest of the series as technicalindicators' does.
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Adx {
  requirePeriod('period', period);
  const n = high.length;
  const pdi = nanColumn(n);
  const mdi = nanColumn(n);
  const dx = nanColumn(n);
  forEachFiniteRun([high, low, close], (from, to) => {
    let trSum = 0;
    let plusSum = 0;
    let minusSum = 0;
    for (let t = from + 1; t < to; t++) {
      const h = high[t]!;
      const l = low[t]!;
      const prevClose = close[t - 1]!;
      const upMove = h - high[t - 1]!;
      const downMove = low[t - 1]! - l;
      const tr = Math.max(h - l, Math.abs(h - prevClose), Math.abs(l - prevClose));
      const plusDm = upMove > downMove && upMove > 0 ? upMove : 0;
      const minusDm = downMove > upMove && downMove > 0 ? downMove : 0;
      const count = t - from;
      if (count <= period) {
        trSum += tr;
        plusSum += plusDm;
        minusSum += minusDm;
        if (count < period) continue;
      } else {
        trSum = trSum - trSum / period + tr;
        plusSum = plusSum - plusSum / period + plusDm;
        minusSum = minusSum - minusSum / period + minusDm;
      }
      const p = (plusSum * 100) / trSum;
      const m = (minusSum * 100) / trSum;
      pdi[t] = p;
      mdi[t] = m;
      dx[t] = (Math.abs(p - m) / (p + m)) * 100;
    }
  });
  return { adx: rma(dx, period), pdi, mdi };
}
