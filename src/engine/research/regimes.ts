import type { RegimeLabels } from '../../core/research/run.ts';

/** Bars of log returns in the rolling realised-volatility window. */
export const VOL_WINDOW = 20;
/** The long moving average of the trend regime, in bars (the classic 200-day line). */
export const TREND_SMA = 200;

/**
 * The trend SMA length for a series whose visible part has `visible` bars: 200, shortened to a
 * quarter of the visible bars (never below 2) so that a short series still gets trend labels on at
 * least three quarters of its visible bars instead of none.
 */
export function trendLength(visible: number): number {
  return Math.max(2, Math.min(TREND_SMA, Math.floor(visible / 4)));
}

/**
 * Rolling sample standard deviation (ddof 1) of the last `window` close-to-close log returns ending at
 * bar t; NaN for t < window (warm-up). Computed directly per bar (two passes over the window) rather
 * than by running sums, so the value at t depends on bars t − window … t only, bit for bit.
 */
export function rollingLogReturnStd(close: Float64Array, window: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  for (let t = window; t < n; t++) {
    let s = 0;
    for (let i = t - window + 1; i <= t; i++) s += Math.log(close[i]! / close[i - 1]!);
    const m = s / window;
    let ss = 0;
    for (let i = t - window + 1; i <= t; i++) {
      const d = Math.log(close[i]! / close[i - 1]!) - m;
      ss += d * d;
    }
    out[t] = Math.sqrt(ss / (window - 1));
  }
  return out;
}

/** Quantile of ascending `sorted` at p with linear interpolation (numpy's default, Hyndman–Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Regime labels for every bar of a series whose first `visible` bars are the visible segment.
 * - volatility: terciles of the rolling realised volatility (VOL_WINDOW log returns): 0 when
 *   vol ≤ the 1/3 quantile, 1 when ≤ the 2/3 quantile, else 2; −1 in warm-up. The cut points are
 *   computed on the visible bars only, so holdout bars never move them (no leak into visible labels).
 * - trend: 1 when close > SMA(trendLength(visible)) of closes, −1 otherwise (a tie counts as below),
 *   0 in warm-up.
 * Both indicators are causal, so a visible label reads visible bars only.
 */
export function regimeLabels(close: Float64Array, visible: number): RegimeLabels {
  const n = close.length;
  const vol = rollingLogReturnStd(close, VOL_WINDOW);
  const defined: number[] = [];
  for (let t = 0; t < Math.min(visible, n); t++) if (!Number.isNaN(vol[t]!)) defined.push(vol[t]!);
  defined.sort((a, b) => a - b);
  const volatility = new Int8Array(n).fill(-1);
  if (defined.length > 0) {
    const q1 = quantileSorted(defined, 1 / 3);
    const q2 = quantileSorted(defined, 2 / 3);
    for (let t = 0; t < n; t++) {
      const v = vol[t]!;
      if (!Number.isNaN(v)) volatility[t] = v <= q1 ? 0 : v <= q2 ? 1 : 2;
    }
  }
  const len = trendLength(visible);
  const trend = new Int8Array(n);
  let sum = 0;
  for (let t = 0; t < n; t++) {
    sum += close[t]!;
    if (t >= len) sum -= close[t - len]!;
    if (t >= len - 1) trend[t] = close[t]! > sum / len ? 1 : -1;
  }
  return { volatility, trend };
}
