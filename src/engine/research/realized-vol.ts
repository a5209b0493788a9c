import { barsPerYear } from './series-run.ts';

/**
 * Annualised realised volatility: the sample standard deviation (ddof 1) of close-to-close log
 * returns times √(bars per year), bars per year from the data's own spacing, (N − 1) / years
 * (DESIGN §5), so daily stocks, 24/7 crypto and intraday bars are each scaled by what they really
 * hold. 0 with fewer than three bars.
 */
export function realizedVolatility(time: Float64Array, close: Float64Array): number {
  const n = close.length;
  if (n < 3) return 0;
  let s = 0;
  for (let i = 1; i < n; i++) s += Math.log(close[i]! / close[i - 1]!);
  const m = s / (n - 1);
  let ss = 0;
  for (let i = 1; i < n; i++) {
    const d = Math.log(close[i]! / close[i - 1]!) - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 2)) * Math.sqrt(barsPerYear(time));
}
