/**
 * Real bars permuted in time: drift-only noise for the integrity benchmark. The bar-to-bar moves of a
 * real series are shuffled with a seeded RNG and the series is rebuilt from its first bar, so each
 * symbol keeps its first price, its multiset of close-to-close log returns (hence its drift, its
 * volatility and its fat tails) and its dates, but no move can be predicted from the moves before it:
 * whatever a strategy earns on it beyond drift (μ·h) is luck.
 *
 * A move is the whole bar relative to the previous close, (ln O_t/C_{t−1}, ln H_t/C_{t−1},
 * ln L_t/C_{t−1}, ln C_t/C_{t−1}, V_t), shuffled as one tuple: the bar's shape (gap, range, volume
 * on that day) stays consistent (H ≥ max(O, C) ≥ min(O, C) ≥ L) because exp is monotone.
 * Volatility clustering and the cross-section (which day moved every stock) are destroyed on purpose:
 * each symbol gets its own permutation.
 */
import type { Random } from '../../core/random.ts';
import { allocBars, type Bars } from './bars.ts';

/** Prices as the synthetic writer prints them: 6 decimals, at least 0.000001 (monotone, so OHLC order survives). */
function q6(x: number): number {
  const v = Math.round(x * 1e6) / 1e6;
  return v < 1e-6 ? 1e-6 : v;
}

/**
 * A copy of `bars` whose moves 1 … n−1 are in a random order (Fisher–Yates over `rng`); bar 0 and
 * the time column are kept. Bars need positive prices (what the loader guarantees).
 */
export function permuteBars(bars: Bars, rng: Random): Bars {
  const n = bars.time.length;
  const out = allocBars(bars.symbol, bars.interval, n);
  out.time.set(bars.time);
  if (n === 0) return out;
  const { open, high, low, close, volume } = bars;
  const order = new Int32Array(n);
  for (let t = 0; t < n; t++) order[t] = t;
  for (let i = n - 1; i > 1; i--) {
    const j = 1 + Math.floor(rng.next() * i); // j in [1, i]
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  out.open[0] = open[0]!;
  out.high[0] = high[0]!;
  out.low[0] = low[0]!;
  out.close[0] = close[0]!;
  out.volume[0] = volume[0]!;
  // The running log close is kept unrounded so rounding never accumulates along the path.
  let logPrev = Math.log(close[0]!);
  for (let t = 1; t < n; t++) {
    const s = order[t]!;
    const ref = Math.log(close[s - 1]!);
    const c = q6(Math.exp(logPrev + Math.log(close[s]!) - ref));
    const o = q6(Math.exp(logPrev + Math.log(open[s]!) - ref));
    const h = q6(Math.exp(logPrev + Math.log(high[s]!) - ref));
    const l = q6(Math.exp(logPrev + Math.log(low[s]!) - ref));
    out.open[t] = o;
    out.close[t] = c;
    // Guards against a last-ulp non-monotonicity of exp/log; a no-op in practice.
    out.high[t] = Math.max(h, o, c);
    out.low[t] = Math.min(l, o, c);
    out.volume[t] = volume[s]!;
    logPrev += Math.log(close[s]!) - ref;
  }
  return out;
}
