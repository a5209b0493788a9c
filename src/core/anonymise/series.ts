import { barAt } from '../director/regimes.ts';
import type { SeriesRun } from '../research/run.ts';

/** Per-series facts the metrics do not carry, stated relative to the series, never in calendar time. */

const DAY = 86_400_000;
const MONTH = (365.25 / 12) * DAY;
/** Under this span a month is too coarse a unit; periods become days. */
const DAYS_UNIT_BELOW = 60 * DAY;

export interface Clock {
  unit: 'day' | 'month';
  periods: number;
  /** 1-based period of an epoch-ms time. */
  at(t: number): number;
}

export function clockOf(run: SeriesRun): Clock {
  const t0 = run.time[0] ?? 0;
  const span = (run.time[run.time.length - 1] ?? t0) - t0;
  const len = span < DAYS_UNIT_BELOW ? DAY : MONTH;
  const periods = Math.max(1, Math.ceil(span / len));
  return { unit: len === DAY ? 'day' : 'month', periods, at: (t) => Math.min(periods, Math.floor((t - t0) / len) + 1) };
}

export function spanText(run: SeriesRun, c: Clock): string {
  return `${run.time.length} bars over ${c.periods} ${c.unit}${c.periods === 1 ? '' : 's'}`;
}

/** "bar 1200 of 5000 (month 7 of 24)" for the deepest drawdown's bottom (first one on ties); null without a drawdown. */
export function troughText(run: SeriesRun, c: Clock): string | null {
  let peak = -Infinity;
  let worst = 0;
  let at = -1;
  for (let t = 0; t < run.equity.length; t++) {
    const e = run.equity[t]!;
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > worst) { worst = dd; at = t; }
  }
  return at < 0 ? null : `bar ${at + 1} of ${run.time.length} (${c.unit} ${c.at(run.time[at]!)} of ${c.periods})`;
}

/** The period in which most trades were entered (the first on ties). */
export function busiestPeriod(run: SeriesRun, c: Clock): { at: string; trades: number; share: number } | null {
  if (run.trades.count === 0) return null;
  const counts = new Map<number, number>();
  for (let i = 0; i < run.trades.count; i++) {
    const p = c.at(run.trades.entryTime[i]!);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  let best = 0;
  let n = 0;
  for (const [p, k] of [...counts].sort((a, b) => a[0] - b[0])) if (k > n) { best = p; n = k; }
  return { at: `${c.unit} ${best} of ${c.periods}`, trades: n, share: n / run.trades.count };
}

/** Mean holding time in bars (exit bar − entry bar) and in calendar days; null without trades. */
export function holding(run: SeriesRun): { bars: number | null; days: number | null } {
  const n = run.trades.count;
  if (n === 0) return { bars: null, days: null };
  let bars = 0;
  let ms = 0;
  for (let i = 0; i < n; i++) {
    bars += barAt(run.time, run.trades.exitTime[i]!) - barAt(run.time, run.trades.entryTime[i]!);
    ms += run.trades.exitTime[i]! - run.trades.entryTime[i]!;
  }
  return { bars: bars / n, days: ms / n / DAY };
}
