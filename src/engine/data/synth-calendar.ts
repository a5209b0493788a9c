/**
 * The time grid of a synthetic market: weekdays only (no holidays), and for intraday intervals an
 * equities-like session 13:30–20:00 UTC (09:30–16:00 New York without daylight saving). Bars are
 * labelled by their start. When the interval does not divide the 390-minute session (1h, 4h) the
 * last bar of the day is shorter (1h: 7 bars, the last 30 min; 4h: 13:30 and 17:30, the last
 * 2.5 h), as a session-anchored resample of real data would give. Every day has the same bars.
 */
import { INTERVAL_MS, type Interval } from '../../core/intervals.ts';

export const SESSION_OPEN_UTC_MIN = 13 * 60 + 30;
export const SESSION_MINUTES = 390;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface Calendar {
  readonly interval: Interval;
  /** Epoch ms of 00:00 UTC of each trading day. */
  readonly dayStart: Float64Array;
  readonly barsPerDay: number;
  /** Bar start times, day-major: bar j of day d is index d·barsPerDay + j. */
  readonly time: Float64Array;
  /** Minutes each bar of the day covers (1d: the whole session). */
  readonly barMinutes: Float64Array;
  /** Position of each bar's midpoint within the session, in (0, 1). */
  readonly barMid: Float64Array;
}

/** Parses `YYYY-MM-DD` to epoch ms at 00:00 UTC, or returns null when it is not a real date. */
export function parseDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms;
}

export function isWeekday(dayMs: number): boolean {
  const wd = new Date(dayMs).getUTCDay();
  return wd !== 0 && wd !== 6;
}

export function barsPerDay(interval: Interval): number {
  if (interval === '1d') return 1;
  return Math.ceil(SESSION_MINUTES / (INTERVAL_MS[interval] / MINUTE_MS));
}

/** `days` trading days from `startMs` (rolled forward to a weekday). */
export function buildCalendar(interval: Interval, days: number, startMs: number): Calendar {
  const dayStart = new Float64Array(days);
  let ms = startMs;
  for (let d = 0; d < days; d++) {
    while (!isWeekday(ms)) ms += DAY_MS;
    dayStart[d] = ms;
    ms += DAY_MS;
  }
  const b = barsPerDay(interval);
  const barMinutes = new Float64Array(b);
  const barMid = new Float64Array(b);
  const offsetMs = new Float64Array(b);
  if (interval === '1d') {
    barMinutes[0] = SESSION_MINUTES;
    barMid[0] = 0.5;
  } else {
    const step = INTERVAL_MS[interval] / MINUTE_MS;
    for (let j = 0; j < b; j++) {
      const from = j * step;
      const to = Math.min(SESSION_MINUTES, from + step);
      barMinutes[j] = to - from;
      barMid[j] = (from + to) / 2 / SESSION_MINUTES;
      offsetMs[j] = (SESSION_OPEN_UTC_MIN + from) * MINUTE_MS;
    }
  }
  const time = new Float64Array(days * b);
  for (let d = 0; d < days; d++) {
    for (let j = 0; j < b; j++) time[d * b + j] = dayStart[d]! + offsetMs[j]!;
  }
  return { interval, dayStart, barsPerDay: b, time, barMinutes, barMid };
}

/** The CSV time text of each bar: `YYYY-MM-DD` for 1d, `YYYY-MM-DDTHH:MM:SSZ` otherwise. */
export function timeLabels(time: Float64Array, interval: Interval): string[] {
  const daily = interval === '1d';
  const out = new Array<string>(time.length);
  for (let i = 0; i < time.length; i++) {
    const iso = new Date(time[i]!).toISOString();
    out[i] = daily ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
  }
  return out;
}
