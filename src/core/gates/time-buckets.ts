import { DAY_MS } from './portfolio.ts';
import type { Portfolio } from './portfolio.ts';

/** UTC calendar day number of an epoch-ms time (day 0 = 1970-01-01). */
export function utcDay(t: number): number {
  return Math.floor(t / DAY_MS);
}

/**
 * ISO week (Monday 00:00 UTC to Sunday 24:00 UTC) as a running number. Day 0, 1970-01-01, was a
 * Thursday, so day + 3 counts from the Monday before it (1969-12-29 = start of week 0).
 */
export function isoWeek(t: number): number {
  return Math.floor((utcDay(t) + 3) / 7);
}

/** Epoch ms of the Monday that starts ISO week `week` (inverse of `isoWeek`). */
export function isoWeekStart(week: number): number {
  return (week * 7 - 3) * DAY_MS;
}

/**
 * The portfolio's equity gain per bucket: Σ (E_k − E_{k−1}) over the bars realised in it. The
 * buckets telescope, so they sum to the whole gain E_last − 1 — a bucket's share of the gain is
 * its part of the profit, and a losing bucket has a negative part.
 */
export function gainsBy(p: Portfolio, bucket: (t: number) => number): Map<number, number> {
  const out = new Map<number, number>();
  for (let k = 1; k < p.equity.length; k++) {
    const key = bucket(p.time[k]!);
    out.set(key, (out.get(key) ?? 0) + (p.equity[k]! - p.equity[k - 1]!));
  }
  return out;
}

/** The bucket with the largest gain (the earliest on ties); null when the portfolio has no returns. */
export function largestGain(gains: ReadonlyMap<number, number>): { key: number; gain: number } | null {
  let best: { key: number; gain: number } | null = null;
  for (const [key, gain] of [...gains].sort((a, b) => a[0] - b[0])) if (best === null || gain > best.gain) best = { key, gain };
  return best;
}
