/**
 * The bar interval of a whole series, from its timestamps: the smallest gap between consecutive bars
 * (gaps are multiples of the interval: nights, weekends, halts), with daily bars allowed 20–28 h so
 * local-midnight stamps across a DST change still read as 1d. The result says how it was decided, so
 * an import can state it.
 */
import { INTERVAL_MS, IntervalSchema, type Interval } from '../../core/intervals.ts';

export type Inference =
  | { readonly ok: true; readonly interval: Interval; readonly smallestMs: number; readonly atSmallest: number; readonly gaps: number }
  | { readonly ok: false; readonly problem: string };

const HOUR = 3_600_000;

export function inferFromTimes(time: Float64Array): Inference {
  if (time.length < 2) return { ok: false, problem: 'fewer than two valid bars' };
  let min = Infinity;
  for (let i = 1; i < time.length; i++) min = Math.min(min, (time[i] as number) - (time[i - 1] as number));
  const daily = min >= 20 * HOUR && min <= 28 * HOUR;
  const interval = daily ? '1d' : IntervalSchema.options.find((iv) => INTERVAL_MS[iv] === min);
  if (interval === undefined) {
    return { ok: false, problem: `bars are ${formatGap(min)} apart at the closest, which is not one of ${IntervalSchema.options.join(', ')}` };
  }
  // How many gaps are one bar (daily: any gap under 28 h), to state how typical the smallest gap is.
  let atSmallest = 0;
  for (let i = 1; i < time.length; i++) {
    const d = (time[i] as number) - (time[i - 1] as number);
    if (daily ? d <= 28 * HOUR : d === min) atSmallest++;
  }
  return { ok: true, interval, smallestMs: min, atSmallest, gaps: time.length - 1 };
}

export function formatGap(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** The inference in words: "1d, inferred from the bar spacing (1,257 of 1,258 gaps are one bar)". */
export function describeInference(inf: Extract<Inference, { ok: true }>): string {
  return `${inf.interval}, inferred from the bar spacing (smallest gap ${formatGap(inf.smallestMs)}; ${inf.atSmallest.toLocaleString('en-US')} of ${inf.gaps.toLocaleString('en-US')} gaps are one bar)`;
}
