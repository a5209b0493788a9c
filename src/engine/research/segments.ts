import { UserError } from '../../core/errors.ts';
import type { Segment } from '../../core/research/run.ts';

/** The sealed holdout is the last 20 % of the market's common calendar; the rest is visible. */
export const VISIBLE_FRACTION = 0.8;

/**
 * The one cut date of a market at an interval (docs/gates.md, confirmation): the bar time at index
 * ⌊0.8·U⌋ of the U distinct bar times of every series of the market. Every series is visible before
 * it and sealed from it on, so no symbol's visible bars overlap another symbol's holdout — which a
 * per-series 80 % cut allows whenever histories differ in length.
 */
export function commonCut(series: readonly Float64Array[]): number {
  const all = new Set<number>();
  for (const time of series) for (const t of time) all.add(t);
  if (all.size === 0) return Infinity;
  const sorted = Float64Array.from(all).sort();
  return sorted[Math.floor(VISIBLE_FRACTION * sorted.length)]!;
}

/** Bars of a series strictly before the cut: the visible part's length (times are sorted). */
export function barsBefore(time: Float64Array, cut: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid]! < cut) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bar range [from, to) a segment executes on, for a series of `n` bars whose first `v` are
 * visible. Signals are always computed on bars [0, to): for `visible` that never touches a holdout
 * bar; for `holdout` the visible bars are indicator warm-up only, and because signals are causal they
 * equal what a live run would have computed.
 */
export function segmentRange(n: number, v: number, segment: Segment, what: string): { from: number; to: number } {
  if (segment === 'full') return { from: 0, to: n };
  if (segment === 'visible' && v < 2) throw new UserError(`${what}: ${v} bar(s) before the market's holdout cut date; the symbol has too little visible history to test`);
  if (segment === 'holdout' && n - v < 2) throw new UserError(`${what}: ${n - v} bar(s) from the market's holdout cut date on; the symbol has no holdout to confirm on`);
  return segment === 'visible' ? { from: 0, to: v } : { from: v, to: n };
}
