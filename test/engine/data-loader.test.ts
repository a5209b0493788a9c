import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { UserError } from '../../src/core/errors.ts';
import { parseDecimal, parseIsoTime } from '../../src/engine/data/fields.ts';
import { loadBarsFromFile, loadFile } from '../../src/engine/data/load.ts';
import { parseBars } from '../../src/engine/data/parse.ts';
import { DATA_DIR, rawStockRows, tempDir, writeTemp } from './data-helpers.ts';

// Epoch values below were computed by hand / with Python's datetime (UTC), not by this code:
const D_2018_02_07 = 1517961600000;  // 2018-02-07T00:00:00Z
const T_2016_04_15_1330 = 1460727000000; // 2016-04-15T13:30:00Z = 09:30 EDT (also AAPL_INTRA_DAY.tsv's first row)
const T_1700000000 = 1700000000000;  // 2023-11-14T22:13:20Z
const D_2016_02_29 = 1456704000000;

const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const iso = (s: string): number => parseIsoTime(bytes(s), 0, s.length);
const noCache = { cacheDir: null } as const;

describe('time parsing', () => {
  it('reads ISO dates as UTC midnight and date-times as UTC unless zoned', () => {
    expect(iso('2018-02-07')).toBe(D_2018_02_07);
    expect(iso('2016-02-29')).toBe(D_2016_02_29);
    expect(iso('2016-04-15 13:30:00')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15T13:30:00')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15T13:30:00Z')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15T13:30Z')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15 13:30')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15T09:30:00-04:00')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15T15:30:00+0200')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15T14:30:00+01')).toBe(T_2016_04_15_1330);
    expect(iso('2016-04-15T13:30:15.25Z')).toBe(T_2016_04_15_1330 + 15_250);
  });

  it('rejects malformed and impossible dates', () => {
    for (const s of ['2015-02-29', '2016-13-01', '2016-04-31', '2016/04/15', '04/15/2016', '2016-04-15T24:00', '2016-04-15 13:30:00 UTC', '2016-4-15', '']) {
      expect(iso(s), s).toBeNaN();
    }
  });
});

describe('number parsing', () => {
  it('is bit-identical to Number() on every price and volume field of the stock set', () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (const r of rawStockRows()) {
      for (let k = 1; k <= 5; k++) {
        const f = r.fields[k] as string;
        if (f === '') continue;
        const b = bytes(f);
        if (!Object.is(parseDecimal(b, 0, b.length), Number(f))) mismatches.push(`${r.line}: ${f}`);
        checked++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(3_000_000);
  });

  it('rejects what Number() would wrongly accept', () => {
    for (const s of ['0x10', 'Infinity', 'NaN', 'null', '1,5', '', '-', '.', '1e', '1.2.3']) {
      const b = bytes(s);
      expect(parseDecimal(b, 0, b.length), s).toBeNaN();
    }
    const b = bytes('1.5e3');
    expect(parseDecimal(b, 0, b.length)).toBe(1500);
  });
});

describe('formats', () => {
  it('Yahoo: Date,Open,High,Low,Close,Adj Close,Volume — uses Close, not Adj Close', () => {
    const p = parseBars(bytes('Date,Open,High,Low,Close,Adj Close,Volume\n2018-02-07,163.08,163.399994,159.070007,159.539993,155.44,51608600\n'), 'y.csv', { symbol: 'AAPL' });
    expect(p.layout).toBe('yahoo');
    const s = p.series[0]!;
    expect([...s.time]).toEqual([D_2018_02_07]);
    expect(s.close[0]).toBe(159.539993);
    expect(s.volume[0]).toBe(51608600);
  });

  it('TradingView: time,open,high,low,close,Volume with epoch seconds', () => {
    const p = parseBars(bytes('time,open,high,low,close,Volume\n1700000000,10,11,9,10.5,7\n1700000060,10.5,11,10,10.75,0\n'), 'tv.csv', { symbol: 'X' });
    expect(p.layout).toBe('tradingview');
    expect(p.timeKind).toBe('epoch_s');
    expect([...p.series[0]!.time]).toEqual([T_1700000000, T_1700000000 + 60_000]);
  });

  it('epoch milliseconds are recognised by magnitude (TSV, like the bundled AAPL file)', () => {
    const p = parseBars(bytes('date\topen\thigh\tlow\tclose\tvolume\n1460727000000\t112.11\t112.11\t112\t112.06\t2316232\n'), 'a.tsv', { symbol: 'AAPL' });
    expect(p.timeKind).toBe('epoch_ms');
    expect([...p.series[0]!.time]).toEqual([T_2016_04_15_1330]);
  });

  it('a seconds value in a milliseconds file is an error, not a silent 1970 date', () => {
    const p = parseBars(bytes('time,open,high,low,close,volume\n1700000000000,1,1,1,1,1\n1700000060,1,1,1,1,1\n'), 'm.csv', { symbol: 'X' });
    expect(p.errors.map((e) => [e.line, e.code])).toEqual([[3, 'bad_time']]);
    expect(p.errors[0]!.message).toMatch(/looks like epoch seconds.*milliseconds \(decided from line 2\)/);
  });

  it('the bundled layouts: long format split per symbol, and adjclose', () => {
    const long = parseBars(bytes('date,open,high,low,close,volume,Name\n2013-02-08,15.07,15.12,14.63,14.75,8407500,AAL\n2013-02-11,14.89,15.01,14.26,14.46,8882000,AAL\n2013-02-08,67.7142,68.4014,66.8928,67.8542,158168416,AAPL\n'), 's.csv', { symbol: 'ignored' });
    expect(long.layout).toBe('ohlcv-long');
    expect(long.series.map((s) => [s.symbol, s.time.length])).toEqual([['AAL', 2], ['AAPL', 1]]);
    const adj = parseBars(bytes('date,open,high,low,close,adjclose,volume\n2000-01-03,1469.25,1478,1438.359985,1455.219971,1455.219971,931800000\n'), 'i.csv', { symbol: 'SPX' });
    expect(adj.layout).toBe('ohlcv-adjclose');
    expect(adj.series[0]!.close[0]).toBe(1455.219971);
  });

  it('header case, BOM, CRLF, quotes, spaces, semicolons and blank lines are tolerated', () => {
    const p = parseBars(bytes('\xef\xbb\xbfDATE;Open;HIGH;low;Close;VOLUME\r\n"2018-02-07"; 1 ;2;0.5;1.5;3\r\n\r\n2018-02-08;1;2;0.5;1.5;3\r\n'), 'x.csv', { symbol: 'X' });
    expect(p.errors).toEqual([]);
    expect(p.rows).toBe(2);
    expect([...p.series[0]!.open]).toEqual([1, 1]);
  });

  it('an unknown header is an error that lists the accepted headers', () => {
    const dir = tempDir();
    const f = writeTemp(dir, 'bad.csv', 'timestamp,o,h,l,c,v\n1,2,3,4,5,6\n');
    expect(() => loadFile(f, noCache)).toThrow(UserError);
    try {
      loadFile(f, noCache);
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain(`${f}:1: unrecognised header "timestamp,o,h,l,c,v"`);
      for (const h of ['date,open,high,low,close,volume', 'date,open,high,low,close,volume,Name', 'Date,Open,High,Low,Close,Adj Close,Volume', 'time,open,high,low,close,Volume', 'date,open,high,low,close,adjclose,volume']) expect(m).toContain(h);
    }
  });

  it('reads gzip by content; a .gz name with non-gzip content, an empty file and a missing file are clear errors', () => {
    const dir = tempDir();
    const csv = 'date,open,high,low,close,volume\n2018-02-07,1,2,0.5,1.5,3\n';
    const gz = writeTemp(dir, 'x.csv.gz', gzipSync(Buffer.from(csv)));
    expect([...loadBarsFromFile(gz, '1d', noCache).bars.close]).toEqual([1.5]);
    const fake = writeTemp(dir, 'y.csv.gz', csv);
    expect(() => loadFile(fake, noCache)).toThrow(/y\.csv\.gz: the name ends in \.gz but the content is not gzip/);
    const trunc = writeTemp(dir, 'z.csv.gz', gzipSync(Buffer.from(csv)).subarray(0, 20));
    expect(() => loadFile(trunc, noCache)).toThrow(/z\.csv\.gz: corrupt or truncated gzip/);
    const empty = writeTemp(dir, 'e.csv', '');
    expect(() => loadFile(empty, noCache)).toThrow(/e\.csv:1: the file is empty/);
    expect(() => loadFile(`${dir}/nope.csv`, noCache)).toThrow(/nope\.csv: file not found/);
  });

  it('loads the bundled intraday TSV (epoch ms, 8,211 rows = 21 sessions × 391)', () => {
    const { bars } = loadBarsFromFile(`${DATA_DIR}/intraday/AAPL_INTRA_DAY.tsv`, '1m', { ...noCache, symbol: 'AAPL' });
    expect(bars.time.length).toBe(21 * 391);
    expect(bars.time[0]).toBe(T_2016_04_15_1330);
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([112.11, 112.11, 112, 112.06, 2316232]);
    // Last row: 1463169600000 = 2016-05-13T20:00:00Z (16:00 EDT)
    expect(bars.time[bars.time.length - 1]).toBe(1463169600000);
  });
});

describe('bundled data provenance (hashes stated in the SOURCE.txt files)', () => {
  const gitBlob = (b: Buffer): string => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
  it('the stock set decompresses to the documented sha256', () => {
    const raw = gunzipSync(readFileSync(`${DATA_DIR}/sp500_daily_2013_2018/all_stocks_5yr.csv.gz`));
    expect(raw.length).toBe(29_580_549);
    expect(createHash('sha256').update(raw).digest('hex')).toBe('6aea253cd19de60b568143991aaf1fa482456565c389205658d236e595e716cf');
  });
  it('the intraday files match their documented git blobs', () => {
    const blobs: [string, string][] = [
      ['AAPL_INTRA_DAY.tsv', 'c7f651d5d228dc1b7ec85cd5c368b0cf49af40d7'],
      ['MSFT_INTRA_DAY.tsv', '1f39df64498bfb291ec43e18a764746ddb8310ff'],
      ['bitstamp_xbtusd_5m.csv.gz', '54db0ac4df21cac2187cc42c1456ab9a4078d676'],
      ['bitstamp_xbtusd_10m.csv.gz', 'c2511962ef18b520c3194339e49b47d9922790a8'],
      ['bitstamp_xbtusd_30m.csv.gz', '597edadeedf1988a1fc69add848ef1a8bfca5ffe'],
      ['bitfinex_xbtusd_1m.csv.gz', 'c0bf8b0bcaf0a269ad03c0d1fc069cc7c0d5d32d'],
    ];
    for (const [f, blob] of blobs) {
      const b = readFileSync(`${DATA_DIR}/intraday/${f}`);
      expect(gitBlob(f.endsWith('.gz') ? gunzipSync(b) : b), f).toBe(blob);
    }
  });
});

describe('edge files', () => {
  it('a header-only file is a clear error, not an empty series', () => {
    const f = writeTemp(tempDir(), 'h.csv', 'date,open,high,low,close,volume\n');
    expect(() => loadBarsFromFile(f, '1d', noCache)).toThrow(/h\.csv: no data rows \(only a header\)/);
  });

  it('Yahoo "null" rows are errors naming the field', () => {
    const f = writeTemp(tempDir(), 'y.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-03-02,null,null,null,null,null,null\n2020-03-03,1,2,0.5,1.5,1.4,10\n');
    const p = loadFile(f, noCache);
    expect(p.errors.map((e) => [e.line, e.message])).toEqual([[2, 'Open "null" is not a number; High "null" is not a number; Low "null" is not a number; Close "null" is not a number; Volume "null" is not a number']]);
  });
});
