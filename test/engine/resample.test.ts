import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import type { Interval } from '../../src/core/intervals.ts';
import type { Bars } from '../../src/engine/data/bars.ts';
import { loadBarsFromFile } from '../../src/engine/data/load.ts';
import { resample } from '../../src/engine/data/resample.ts';
import { DATA_DIR } from './data-helpers.ts';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const utc = (s: string): number => Date.parse(`${s}Z`);

function mk(interval: Interval, rows: { t: number; o: number; h: number; l: number; c: number; v: number }[], symbol = 'T'): Bars {
  const col = (k: 't' | 'o' | 'h' | 'l' | 'c' | 'v') => Float64Array.from(rows.map((r) => r[k]));
  return { symbol, interval, time: col('t'), open: col('o'), high: col('h'), low: col('l'), close: col('c'), volume: col('v') };
}

/** Plain 1m bars: open = base + i, high = open + 0.5, low = open − 0.5, close = open + 0.25, volume 1. */
function minutes(start: number, count: number, base = 100, first = 0): { t: number; o: number; h: number; l: number; c: number; v: number }[] {
  return Array.from({ length: count }, (_, k) => {
    const o = base + first + k;
    return { t: start + k * MIN, o, h: o + 0.5, l: o - 0.5, c: o + 0.25, v: 1 };
  });
}

const rowsOf = (b: Bars) => [...b.time].map((t, i) => ({ t: new Date(t).toISOString().slice(0, 16), o: b.open[i], h: b.high[i], l: b.low[i], c: b.close[i], v: b.volume[i] }));

/** What a bucket of consecutive rows [a, b] of `minutes(...)` must aggregate to (hand formula). */
function agg(label: string, a: number, b: number, base = 100, extraVol = 0) {
  return { t: label, o: base + a, h: base + b + 0.5, l: base + a - 0.5, c: base + b + 0.25, v: b - a + 1 + extraVol };
}

describe('US equities session, bar-END labelled 1m (like AAPL_INTRA_DAY.tsv)', () => {
  // 2016-04-15 (EDT, UTC−4): rows labelled 09:30 (opening print) … 16:00 (closing auction) = 13:30 … 20:00 UTC, 391 rows.
  const rows = minutes(utc('2016-04-15T13:30'), 391);
  rows[0]!.v = 1000; // the opening print
  rows[390]!.v = 5000; // 15:59–16:00 plus the closing auction
  const day = mk('1m', rows);
  const opts = { label: 'end', anchoring: 'session' } as const;

  it('5m: the 09:30 row joins the first bucket, the 16:00 row the last; labels = bucket start', () => {
    const r = rowsOf(resample(day, '5m', opts));
    expect(r).toHaveLength(78);
    expect(r[0]).toEqual(agg('2016-04-15T13:30', 0, 5, 100, 999)); // rows 09:30 + 09:31..09:35
    expect(r[1]).toEqual(agg('2016-04-15T13:35', 6, 10));          // 09:36..09:40
    expect(r[77]).toEqual(agg('2016-04-15T19:55', 386, 390, 100, 4999)); // 15:56..16:00
  });

  it('1h: 09:30–10:30 … 15:30–16:00', () => {
    const r = rowsOf(resample(day, '1h', opts));
    expect(r.map((x) => x.t.slice(11))).toEqual(['13:30', '14:30', '15:30', '16:30', '17:30', '18:30', '19:30']);
    expect(r[0]).toEqual(agg('2016-04-15T13:30', 0, 60, 100, 999));
    expect(r[1]).toEqual(agg('2016-04-15T14:30', 61, 120));
    expect(r[6]).toEqual(agg('2016-04-15T19:30', 361, 390, 100, 4999)); // 30 rows: 15:31..16:00
  });

  it('4h: 09:30–13:30 and 13:30–16:00', () => {
    const r = rowsOf(resample(day, '4h', opts));
    expect(r).toEqual([agg('2016-04-15T13:30', 0, 240, 100, 999), agg('2016-04-15T17:30', 241, 390, 100, 4999)]);
  });

  it('1d from intraday: one bar at UTC midnight with the whole session', () => {
    expect(rowsOf(resample(day, '1d', opts))).toEqual([agg('2016-04-15T00:00', 0, 390, 100, 999 + 4999)]);
  });

  it('a start-labelled feed of the same session gives the same buckets', () => {
    const start = mk('1m', minutes(utc('2016-04-15T13:30'), 390)); // 09:30..15:59 starts
    const r = rowsOf(resample(start, '1h', { label: 'start', anchoring: 'session' }));
    expect(r.map((x) => x.t.slice(11))).toEqual(['13:30', '14:30', '15:30', '16:30', '17:30', '18:30', '19:30']);
    expect(r[0]).toEqual(agg('2016-04-15T13:30', 0, 59));
    expect(r[6]).toEqual(agg('2016-04-15T19:30', 360, 389));
  });
});

describe('gaps and day boundaries', () => {
  it('a hole > 30 min inside a bucket starts a new bar, labelled by its first bar', () => {
    // 1m crypto bars 00:00–00:09, hole, 00:45–00:59, 01:00–01:04
    const rows = [...minutes(utc('2016-03-01T00:00'), 10, 100, 0), ...minutes(utc('2016-03-01T00:45'), 20, 100, 45)];
    const r = rowsOf(resample(mk('1m', rows), '1h', { label: 'start', anchoring: 'clock' }));
    expect(r).toEqual([agg('2016-03-01T00:00', 0, 9), agg('2016-03-01T00:45', 45, 59), agg('2016-03-01T01:00', 60, 64)]);
  });

  it('a hole of ≤ 30 min does not split the bucket', () => {
    // 00:00–00:09, then 00:40–00:59: hole from 00:10 to 00:40 is exactly 30 min
    const rows = [...minutes(utc('2016-03-01T00:00'), 10, 100, 0), ...minutes(utc('2016-03-01T00:40'), 20, 100, 40)];
    const r = rowsOf(resample(mk('1m', rows), '1h', { label: 'start', anchoring: 'clock' }));
    expect(r).toEqual([{ ...agg('2016-03-01T00:00', 0, 59), v: 30 }]);
  });

  it('gaps inside a session split equities bars too, with unique increasing labels', () => {
    // session from 13:30 UTC; a halt 13:45–14:20 (35 min without bars) inside the 13:30–14:30 bucket
    const rows = [...minutes(utc('2016-04-15T13:30'), 15, 100, 0), ...minutes(utc('2016-04-15T14:20'), 20, 100, 50)];
    const b = resample(mk('1m', rows), '1h', { label: 'start', anchoring: 'session' });
    expect(rowsOf(b)).toEqual([agg('2016-04-15T13:30', 0, 14), agg('2016-04-15T14:20', 50, 59), agg('2016-04-15T14:30', 60, 69)]);
  });

  it('a gap that ends in a later bucket needs no special label', () => {
    // 13:30–13:59, halt, 14:45–15:29: the second bar is the (partial) 14:30 bucket
    const rows = [...minutes(utc('2016-04-15T13:30'), 30, 100, 0), ...minutes(utc('2016-04-15T14:45'), 45, 100, 75)];
    const b = resample(mk('1m', rows), '1h', { label: 'start', anchoring: 'session' });
    expect(rowsOf(b)).toEqual([agg('2016-04-15T13:30', 0, 29), agg('2016-04-15T14:30', 75, 119)]);
  });

  it('no bar spans UTC midnight (crypto 4h) and bucket starts align to UTC midnight', () => {
    const rows = minutes(utc('2016-03-01T22:00'), 240, 100, 0); // 22:00 .. 01:59 next day
    const r = rowsOf(resample(mk('1m', rows), '4h', { label: 'start', anchoring: 'clock' }));
    expect(r).toEqual([agg('2016-03-01T20:00', 0, 119), agg('2016-03-02T00:00', 120, 239)]);
  });

  it('session buckets are cut at the day boundary', () => {
    const rows = minutes(utc('2016-03-01T22:00'), 180, 100, 0); // 22:00 .. 00:59
    const r = rowsOf(resample(mk('1m', rows), '4h', { label: 'start', anchoring: 'session' }));
    expect(r).toEqual([agg('2016-03-01T22:00', 0, 119), agg('2016-03-02T00:00', 120, 179)]);
  });

  it('an end-labelled bar stamped 00:00 belongs to the day it ends', () => {
    const rows = minutes(utc('2016-03-01T23:58'), 4, 100, 0); // ends 23:58, 23:59, 00:00, 00:01
    const r = rowsOf(resample(mk('1m', rows), '1d', { label: 'end', anchoring: 'clock' }));
    expect(r).toEqual([agg('2016-03-01T00:00', 0, 2), agg('2016-03-02T00:00', 3, 3)]);
  });

  it('1d: gaps do not split a day', () => {
    const rows = [...minutes(utc('2016-03-01T00:00'), 10, 100, 0), ...minutes(utc('2016-03-01T12:00'), 10, 100, 720)];
    const r = resample(mk('1m', rows), '1d', { label: 'start', anchoring: 'clock' });
    expect(r.time.length).toBe(1);
    expect(r.volume[0]).toBe(20);
  });
});

describe('ladder rules', () => {
  const b = mk('1h', minutes(utc('2016-03-01T00:00'), 3).map((r, i) => ({ ...r, t: r.t + i * 59 * MIN })));

  it('refuses to go down the ladder, and to a non-multiple', () => {
    expect(() => resample(b, '5m', { label: 'start', anchoring: 'clock' })).toThrow(UserError);
    expect(() => resample(b, '5m', { label: 'start', anchoring: 'clock' })).toThrow(/from 1h down to 5m: resampling only goes up the ladder/);
    const ten = mk('10m', [{ t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
    expect(() => resample(ten, '15m', { label: 'start', anchoring: 'clock' })).toThrow(/15m is not a whole multiple of 10m/);
  });

  it('same interval is the identity', () => {
    expect(resample(b, '1h', { label: 'start', anchoring: 'clock' })).toBe(b);
  });

  it('1h → 4h and 4h → 1d work on already-resampled bars', () => {
    const h = mk('1h', Array.from({ length: 24 }, (_, i) => ({ t: utc('2016-03-01T00:00') + i * H, o: i + 1, h: i + 2, l: i + 0.5, c: i + 1.5, v: 2 })));
    const four = resample(h, '4h', { label: 'start', anchoring: 'clock' });
    expect(four.time.length).toBe(6);
    expect([four.open[1], four.high[1], four.low[1], four.close[1], four.volume[1]]).toEqual([5, 9, 4.5, 8.5, 8]);
    const d = resample(four, '1d', { label: 'start', anchoring: 'clock' });
    expect([d.time[0], d.open[0], d.high[0], d.low[0], d.close[0], d.volume[0]]).toEqual([utc('2016-03-01T00:00'), 1, 25, 0.5, 24.5, 48]);
    expect(d.time[0]! % DAY).toBe(0);
  });
});

describe('real data', () => {
  const bitstamp = (f: string, iv: Interval) => loadBarsFromFile(`${DATA_DIR}/intraday/${f}`, iv, { sort: true, cacheDir: null }).bars;

  /** Compares resampled 5m bars with a provided file; returns [comparable, matching, mismatch dates]. */
  function compare(ours: Bars, ref: Bars): [number, number, string[]] {
    const at = new Map<number, number>();
    ours.time.forEach((t, i) => at.set(t, i));
    let comparable = 0;
    let match = 0;
    const bad: string[] = [];
    for (let i = 0; i < ref.time.length; i++) {
      const j = at.get(ref.time[i]!);
      if (j === undefined) continue;
      comparable++;
      // Prices are copied, so exact; volumes are sums of 8-decimal values, so equal up to float rounding.
      const same = ours.open[j] === ref.open[i] && ours.high[j] === ref.high[i] && ours.low[j] === ref.low[i] && ours.close[j] === ref.close[i]
        && Math.abs(ours.volume[j]! - ref.volume[i]!) <= 1e-9 * Math.max(1, ref.volume[i]!);
      if (same) match++;
      else bad.push(new Date(ref.time[i]!).toISOString().slice(0, 10));
    }
    return [comparable, match, bad];
  }

  it('Bitstamp 5m → 10m reproduces the provided 10m file (≥ 99.6%; mismatches only 2016-01-20..27)', () => {
    const five = bitstamp('bitstamp_xbtusd_5m.csv.gz', '5m');
    const [comparable, match, bad] = compare(resample(five, '10m', { label: 'start', anchoring: 'clock' }), bitstamp('bitstamp_xbtusd_10m.csv.gz', '10m'));
    expect(comparable).toBe(15_304);
    expect(match).toBeGreaterThanOrEqual(15_248); // SOURCE.txt: 15,248 of 15,304
    expect(bad.every((d) => d >= '2016-01-20' && d <= '2016-01-27')).toBe(true);
  });

  it('Bitstamp 5m → 30m reproduces the provided 30m file (≥ 98.5%; mismatches only 2016-01-20..27 + 2 in Feb)', () => {
    const five = bitstamp('bitstamp_xbtusd_5m.csv.gz', '5m');
    const [comparable, match, bad] = compare(resample(five, '30m', { label: 'start', anchoring: 'clock' }), bitstamp('bitstamp_xbtusd_30m.csv.gz', '30m'));
    expect(comparable).toBeGreaterThanOrEqual(5_098);
    expect(match / comparable).toBeGreaterThanOrEqual(5_022 / 5_098); // SOURCE.txt: 5,022 of 5,098
    const outside = bad.filter((d) => !(d >= '2016-01-20' && d <= '2016-01-27'));
    expect(outside.length).toBeLessThanOrEqual(2);
    expect(outside.every((d) => d.startsWith('2016-02-'))).toBe(true);
  });

  it('AAPL 1m (end-labelled) → every ladder step: bars per session and volume conserved', () => {
    const m = loadBarsFromFile(`${DATA_DIR}/intraday/AAPL_INTRA_DAY.tsv`, '1m', { symbol: 'AAPL', cacheDir: null }).bars;
    const total = m.volume.reduce((a, v) => a + v, 0);
    const perDay: [Interval, number][] = [['5m', 78], ['15m', 26], ['1h', 7], ['4h', 2], ['1d', 1]];
    for (const [iv, n] of perDay) {
      const r = resample(m, iv, { label: 'end', anchoring: 'session' });
      expect(r.time.length, iv).toBe(21 * n);
      expect(r.volume.reduce((a, v) => a + v, 0), iv).toBe(total);
      for (let i = 1; i < r.time.length; i++) expect(r.time[i]! > r.time[i - 1]!).toBe(true);
    }
  });
});
