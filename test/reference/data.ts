/**
 * Test helpers: plain bar rows and signal rows, their conversion to the engine's columnar
 * `Bars` and signal bits, and loaders for the real daily data the golden tests use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Bars } from '../../src/engine/data/bars.ts';
import type { Interval } from '../../src/core/intervals.ts';
import { LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT } from '../../src/engine/backtest/types.ts';

export interface BarRow {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface SignalRow {
  longEntry: boolean;
  longExit: boolean;
  shortEntry: boolean;
  shortExit: boolean;
}

export function rowsToBars(rows: readonly BarRow[], symbol = 'TEST', interval: Interval = '1d'): Bars {
  return {
    symbol,
    interval,
    time: Float64Array.from(rows, (r) => r.time),
    open: Float64Array.from(rows, (r) => r.open),
    high: Float64Array.from(rows, (r) => r.high),
    low: Float64Array.from(rows, (r) => r.low),
    close: Float64Array.from(rows, (r) => r.close),
    volume: Float64Array.from(rows, (r) => r.volume),
  };
}

export function barsToRows(bars: Bars): BarRow[] {
  const rows: BarRow[] = [];
  for (let i = 0; i < bars.time.length; i++) {
    rows.push({
      time: bars.time[i]!, open: bars.open[i]!, high: bars.high[i]!,
      low: bars.low[i]!, close: bars.close[i]!, volume: bars.volume[i]!,
    });
  }
  return rows;
}

export function signalsToBits(rows: readonly SignalRow[]): Uint8Array {
  return Uint8Array.from(rows, (s) =>
    (s.longEntry ? LONG_ENTRY : 0) | (s.longExit ? LONG_EXIT : 0) |
    (s.shortEntry ? SHORT_ENTRY : 0) | (s.shortExit ? SHORT_EXIT : 0));
}

export function bitsToSignals(bits: Uint8Array): SignalRow[] {
  return Array.from(bits, (b) => ({
    longEntry: (b & LONG_ENTRY) !== 0,
    longExit: (b & LONG_EXIT) !== 0,
    shortEntry: (b & SHORT_ENTRY) !== 0,
    shortExit: (b & SHORT_EXIT) !== 0,
  }));
}

/** Signal rows from a compact string per bar: "L" long entry, "l" long exit, "S" short entry, "s" short exit, "." none. */
export function sig(...perBar: string[]): SignalRow[] {
  return perBar.map((p) => ({
    longEntry: p.includes('L'),
    longExit: p.includes('l'),
    shortEntry: p.includes('S'),
    shortExit: p.includes('s'),
  }));
}

// ---------------------------------------------------------------------------------------------
// Real data

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DATA_DIRS = [`${REPO}data`, `${REPO}../shared/data`, '/work/shared/data'];

function findData(rel: string): string {
  for (const dir of DATA_DIRS) {
    const p = `${dir}/${rel}`;
    if (existsSync(p)) return p;
  }
  throw new Error(`test data ${rel} not found under ${DATA_DIRS.join(', ')}`);
}

/** "2000-01-03" → epoch ms at 00:00 UTC. */
export function isoDateToMs(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`bad date ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function checkRow(r: BarRow, where: string): void {
  const ok = [r.time, r.open, r.high, r.low, r.close, r.volume].every(Number.isFinite) &&
    r.low > 0 && r.high >= r.low && r.high >= r.open && r.high >= r.close && r.low <= r.open && r.low <= r.close;
  if (!ok) throw new Error(`bad bar at ${where}: ${JSON.stringify(r)}`);
}

let sp500Cache: BarRow[] | undefined;
/** S&P 500 index daily bars 2000-01-03 … 2020-04-17 (date,open,high,low,close,adjclose,volume). */
export function loadSp500Index(): BarRow[] {
  if (sp500Cache) return sp500Cache;
  const file = findData('sp500_index_2000_2020/sp500-2000.csv');
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const rows: BarRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [date, open, high, low, close, , volume] = lines[i]!.split(',');
    const r: BarRow = {
      time: isoDateToMs(date!), open: Number(open), high: Number(high), low: Number(low),
      close: Number(close), volume: Number(volume),
    };
    checkRow(r, `${file}:${i + 1}`);
    rows.push(r);
  }
  sp500Cache = rows;
  return rows;
}

let aaplCache: BarRow[] | undefined;
/** AAPL daily bars 2013-02-08 … 2018-02-07 from the long-format all_stocks_5yr file. */
export function loadAapl(): BarRow[] {
  if (aaplCache) return aaplCache;
  const file = findData('sp500_daily_2013_2018/all_stocks_5yr.csv.gz');
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split(/\r?\n/);
  const rows: BarRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.endsWith(',AAPL')) continue;
    const [date, open, high, low, close, volume] = line.split(',');
    const r: BarRow = {
      time: isoDateToMs(date!), open: Number(open), high: Number(high), low: Number(low),
      close: Number(close), volume: Number(volume),
    };
    checkRow(r, `${file}:${i + 1}`);
    rows.push(r);
  }
  rows.sort((a, b) => a.time - b.time);
  aaplCache = rows;
  return rows;
}
