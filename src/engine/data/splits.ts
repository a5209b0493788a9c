/**
 * Likely unadjusted splits: a one-bar move by a common split ratio together with the volume change a
 * split brings. A k:1 split divides the price by k and multiplies the share volume by about k (the same
 * money trades in k times as many shares); a 1:k reverse split does the opposite. A crash of −66 % has
 * the price but not the volume: its share volume spikes for a day or two, then the 20-bar median is back
 * near where it was.
 *
 * Test at bar i (both must hold):
 * - price: the overnight gap close[i−1] / open[i] is within GAP_TOL of a ratio k in RATIOS (a split is
 *   exact at the open; only the overnight move blurs it), and the bar close[i−1] / close[i] within
 *   CLOSE_TOL of the same k (the day's own move blurs it more);
 * - volume: the median share volume of the VOL_WINDOW bars from i on over the median of the VOL_WINDOW bars
 *   before i lies between k^0.5 and k^2 (for a reverse split, between k^2 and k^0.5), with at least
 *   MIN_SIDE bars on each side. Without volume (a file with no volume column) the price alone flags, said.
 * Pure; reads the columns, allocates only the small windows it sorts.
 */
import type { SeriesColumns } from './parse.ts';

export interface SplitSuspect {
  readonly symbol: string;
  /** Bar index in the series and its time (the first bar at the new price). */
  readonly index: number;
  readonly time: number;
  /** "3:1", "3:2", "1:10" … */
  readonly ratio: string;
  /** Price divisor: 3 for 3:1, 0.1 for 1:10. Back-adjusting divides earlier prices by it. */
  readonly factor: number;
  readonly prevClose: number;
  readonly open: number;
  readonly close: number;
  /** Median volume after / before; null without volume. */
  readonly volumeRatio: number | null;
}

/** Forward ratios as [new shares, old shares]; reverse splits are the same pairs flipped. */
const FORWARD: readonly (readonly [number, number])[] = [[3, 2], [2, 1], [5, 2], [3, 1], [4, 1], [5, 1], [7, 1], [8, 1], [10, 1], [20, 1]];
const REVERSE: readonly (readonly [number, number])[] = [[1, 2], [1, 3], [1, 4], [1, 5], [1, 8], [1, 10], [1, 15], [1, 20], [1, 25], [1, 50]];
export const RATIOS = [...FORWARD, ...REVERSE].map(([a, b]) => ({ label: `${a}:${b}`, factor: a / b }));
export const GAP_TOL = Math.log(1.04);
export const CLOSE_TOL = Math.log(1.08);
export const VOL_WINDOW = 20;
export const MIN_SIDE = 5;

function median(v: Float64Array, from: number, to: number): number {
  const xs: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(v.length, to); i++) if (Number.isFinite(v[i] as number)) xs.push(v[i] as number);
  if (xs.length === 0) return NaN;
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 === 1 ? (xs[m] as number) : ((xs[m - 1] as number) + (xs[m] as number)) / 2;
}

/** The closest ratio to a price divisor `r`, if within `tol` (log terms). */
function nearestRatio(r: number, tol: number): (typeof RATIOS)[number] | undefined {
  if (!(r > 0)) return undefined;
  let best: (typeof RATIOS)[number] | undefined;
  let dist = Infinity;
  for (const q of RATIOS) {
    const d = Math.abs(Math.log(r / q.factor));
    if (d < dist) { dist = d; best = q; }
  }
  return dist <= tol ? best : undefined;
}

export function findSplits(s: SeriesColumns): SplitSuspect[] {
  const out: SplitSuspect[] = [];
  const { close, open, volume } = s;
  const hasVolume = volume.some((v) => Number.isFinite(v));
  for (let i = 1; i < close.length; i++) {
    const pc = close[i - 1] as number;
    const gap = nearestRatio(pc / (open[i] as number), GAP_TOL);
    if (gap === undefined || nearestRatio(pc / (close[i] as number), CLOSE_TOL) !== gap) continue;
    let volumeRatio: number | null = null;
    if (hasVolume) {
      if (i < MIN_SIDE || close.length - i < MIN_SIDE) continue;
      volumeRatio = median(volume, i, i + VOL_WINDOW) / median(volume, i - VOL_WINDOW, i);
      const e = Math.log(volumeRatio) / Math.log(gap.factor);
      if (!(e >= 0.5 && e <= 2)) continue;
    }
    out.push({ symbol: s.symbol, index: i, time: s.time[i] as number, ratio: gap.label, factor: gap.factor, prevClose: pc, open: open[i] as number, close: close[i] as number, volumeRatio });
  }
  return out;
}

/** Bars with every price before the split divided by its factor and volume multiplied by it (a copy). */
export function backAdjust(s: SeriesColumns, splits: readonly { time: number; factor: number }[]): SeriesColumns {
  const o = { ...s, open: s.open.slice(), high: s.high.slice(), low: s.low.slice(), close: s.close.slice(), volume: s.volume.slice() };
  for (const sp of splits) {
    for (let i = 0; i < s.time.length && (s.time[i] as number) < sp.time; i++) {
      o.open[i] = (o.open[i] as number) / sp.factor;
      o.high[i] = (o.high[i] as number) / sp.factor;
      o.low[i] = (o.low[i] as number) / sp.factor;
      o.close[i] = (o.close[i] as number) / sp.factor;
      o.volume[i] = (o.volume[i] as number) * sp.factor;
    }
  }
  return o;
}
