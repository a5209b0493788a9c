/**
 * Resampling up the ladder (1m → 5m → 15m → 1h → 4h → 1d; also 5m → 10m/30m to check against the
 * bundled Bitstamp files). One pass, typed arrays, no per-bar allocation.
 *
 * Aggregation: first open, max high, min low, last close, sum of volume.
 *
 * Buckets
 * - `clock` anchoring (24/7 markets: crypto, forex): buckets aligned to UTC midnight, e.g. 30m buckets start
 *   at :00 and :30. This reproduces the bundled Bitstamp 10m/30m files from the 5m file.
 * - `session` anchoring (equities, futures): buckets start at the session open = the first bar of each UTC
 *   day, floored to the quarter hour (09:30 ET for US stocks, so also when a feed lacks the opening-print
 *   row). 1h bars are 09:30–10:30 … 15:30–16:00; 4h bars are 09:30–13:30 and 13:30–16:00.
 * - `1d` is always one bar per UTC day, labelled at UTC midnight (like daily files' ISO dates).
 *
 * Labels
 * - Input labelled by bar START (most files): a bar belongs to the bucket containing its start.
 * - Input labelled by bar END (Google getprices, the bundled AAPL/MSFT 1m): a bar covers (t − interval, t],
 *   so it belongs to the bucket containing t − interval. Consequence for US sessions: the 09:30 row (the
 *   opening print/auction, which would "start" at 09:29) joins the FIRST bucket of the day, and the 16:00
 *   row (the 15:59–16:00 minute plus the closing auction) joins the LAST bucket. No bar is dropped.
 * - Output is always labelled by bucket START (whatever the input convention).
 *
 * Boundaries: no output bar spans a UTC day boundary or a session gap. A session gap is a hole of more
 * than `gapMs` (default 30 min) between the end of one input bar and the start of the next: an intraday
 * halt, outage or missing data. 30 minutes is far longer than the holes normal data has (the bundled BTC
 * files have 2–4 minute holes, equities none) yet shorter than the 1h/4h buckets it protects. When a gap
 * falls inside a bucket, the bars after it form a new output bar labelled by its first input bar's start
 * time (so labels stay unique and increasing). Gaps do not split `1d` bars: a daily bar summarises the
 * day however patchy its intraday data.
 */
import { UserError } from '../../core/errors.ts';
import { INTERVAL_MS, LADDER, type Interval } from '../../core/intervals.ts';
import type { BarLabel } from '../../core/universe.ts';
import { allocBars, type Bars } from './bars.ts';

export type Anchoring = 'clock' | 'session';

export interface ResampleOptions {
  /** How the INPUT labels its bars. */
  readonly label: BarLabel;
  readonly anchoring: Anchoring;
  /** A hole longer than this (ms) between consecutive input bars ends the output bar. Default 30 min. */
  readonly gapMs?: number;
}

export const DEFAULT_GAP_MS = 30 * 60_000;
const DAY = 86_400_000;
const QUARTER_HOUR = 15 * 60_000;

/** Throws unless `to` can be built from `from` (same, or a coarser whole multiple). */
export function checkResample(symbol: string, from: Interval, to: Interval): void {
  const a = INTERVAL_MS[from];
  const b = INTERVAL_MS[to];
  if (b < a) {
    throw new UserError(`cannot resample ${symbol} from ${from} down to ${to}: resampling only goes up the ladder (${LADDER.join(' → ')}). Load ${to} data from a finer source instead.`);
  }
  if (b % a !== 0) {
    throw new UserError(`cannot resample ${symbol} from ${from} to ${to}: ${to} is not a whole multiple of ${from}.`);
  }
}

/** Anchoring for a market type: 24/7-ish markets are clock-aligned, exchange sessions are session-anchored. */
export function anchoringFor(marketType: string): Anchoring {
  return marketType === 'crypto' || marketType === 'forex' ? 'clock' : 'session';
}

/** Aggregates `src` (ascending, unique times) into `to` bars. Returns `src` itself when `to` equals its interval. */
export function resample(src: Bars, to: Interval, opts: ResampleOptions): Bars {
  checkResample(src.symbol, src.interval, to);
  if (to === src.interval) return src;
  const inMs = INTERVAL_MS[src.interval];
  const step = INTERVAL_MS[to];
  const gapMs = opts.gapMs ?? DEFAULT_GAP_MS;
  const endLabel = opts.label === 'end';
  const daily = to === '1d';
  const session = opts.anchoring === 'session';
  const n = src.time.length;
  const out = allocBars(src.symbol, to, n);
  const { time, open, high, low, close, volume } = src;

  let k = -1;
  let curDay = NaN;
  let curBucket = NaN;
  let anchor = 0;
  let prevStart = NaN;
  for (let i = 0; i < n; i++) {
    const t = time[i] as number;
    const start = endLabel ? t - inMs : t;
    // An end-labelled bar belongs to the day of its last instant: one ending at 00:00 UTC is the previous day's.
    const day = Math.floor((endLabel ? t - 1 : start) / DAY);
    const newDay = day !== curDay;
    if (newDay) {
      curDay = day;
      anchor = session ? Math.floor((endLabel ? t : start) / QUARTER_HOUR) * QUARTER_HOUR : day * DAY;
    }
    let bucket: number;
    if (daily) {
      bucket = day * DAY;
    } else {
      let b = Math.floor((start - anchor) / step);
      if (b < 0) b = 0; // the opening print of end-labelled data joins the first bucket
      bucket = anchor + b * step;
    }
    const gap = !newDay && !daily && start - (prevStart + inMs) > gapMs;
    if (newDay || bucket !== curBucket || gap) {
      k++;
      out.time[k] = gap && bucket === curBucket ? start : bucket;
      out.open[k] = open[i] as number;
      out.high[k] = high[i] as number;
      out.low[k] = low[i] as number;
      out.close[k] = close[i] as number;
      out.volume[k] = volume[i] as number;
      curBucket = bucket;
    } else {
      const h = high[i] as number;
      const l = low[i] as number;
      if (h > (out.high[k] as number)) out.high[k] = h;
      if (l < (out.low[k] as number)) out.low[k] = l;
      out.close[k] = close[i] as number;
      out.volume[k] = (out.volume[k] as number) + (volume[i] as number);
    }
    prevStart = start;
  }
  const m = k + 1;
  return {
    symbol: src.symbol, interval: to,
    time: out.time.slice(0, m), open: out.open.slice(0, m), high: out.high.slice(0, m),
    low: out.low.slice(0, m), close: out.close.slice(0, m), volume: out.volume.slice(0, m),
  };
}
