/**
 * Gaps in the calendar: consecutive bars more than GAP_DAYS calendar days apart. No exchange closes that
 * long (the longest US closures, a holiday weekend or 2001-09-11, are under a week), so such a gap is
 * missing data: a strategy would hold through it blind, and returns across it are not one bar's.
 */
export const GAP_DAYS = 7;
const DAY = 86_400_000;

export interface CalendarGap {
  readonly symbol: string;
  /** Last bar before the gap, first bar after it. */
  readonly from: number;
  readonly to: number;
  readonly days: number;
}

export function findGaps(symbol: string, time: Float64Array): CalendarGap[] {
  const out: CalendarGap[] = [];
  for (let i = 1; i < time.length; i++) {
    const d = (time[i] as number) - (time[i - 1] as number);
    if (d > GAP_DAYS * DAY) out.push({ symbol, from: time[i - 1] as number, to: time[i] as number, days: d / DAY });
  }
  return out;
}
