/**
 * What Yahoo Finance serves through yahoo-finance2's chart module, kept apart from the provider so the
 * research loop can plan a download without loading the library. The chart module's intervals are 1m 2m
 * 5m 15m 30m 60m 90m 1h 1d …; the library enforces no range, Yahoo's server does, and the module's docs say
 * intraday history is limited.
 */
import type { Interval } from '../../../core/intervals.ts';

const DAY = 86_400_000;

/** Yahoo's interval names, the longest span one request may cover, and how far back Yahoo serves (days; null: the whole history). */
export const YAHOO_SERVED: Partial<Record<Interval, { name: '1m' | '5m' | '15m' | '30m' | '1h' | '1d'; span: number; back: number | null }>> = {
  '1m': { name: '1m', span: 7 * DAY, back: 30 },
  '5m': { name: '5m', span: 59 * DAY, back: 60 },
  '15m': { name: '15m', span: 59 * DAY, back: 60 },
  '30m': { name: '30m', span: 59 * DAY, back: 60 },
  '1h': { name: '1h', span: 729 * DAY, back: 730 },
  '1d': { name: '1d', span: 100 * 365 * DAY, back: null },
};

/**
 * The first bar time we ask Yahoo for at `interval` now: `back` days before now, rounded up to a UTC
 * midnight, plus a day's margin (a request starting right at the limit is refused as outside it); −∞ for 1d.
 */
export function yahooEarliest(interval: Interval, now: number): number {
  const back = YAHOO_SERVED[interval]?.back;
  return back === null || back === undefined ? -Infinity : Math.ceil((now - back * DAY) / DAY) * DAY + DAY;
}

