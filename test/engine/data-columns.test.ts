/** Header matching by name (columns.ts): extra columns, missing volume, TradingView time, Yahoo Adj Close. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { parseSpecText } from '../../src/core/spec/parse.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { mapHeader } from '../../src/engine/data/columns.ts';
import { loadBarsFromFile, loadFile } from '../../src/engine/data/load.ts';
import { tempDir, writeTemp } from './data-helpers.ts';

const dir = tempDir('gauntlet-columns-');
const spec = (name: string) => parseSpecText(readFileSync(join('specs', name), 'utf8'), name);

function refusal(path: string, opts: { adjusted?: boolean } = {}): string {
  try {
    loadFile(path, { cacheDir: null, ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('header matching by name', () => {
  it('TradingView export with indicator plots and epoch-second time: plots ignored and listed, prices exact', () => {
    const p = writeTemp(dir, 'TV1.csv', 'time,open,high,low,close,Volume,Volume MA,Plot,RSI\n'
      + '1704067200,10,11,9,10.5,1000,900,1,55\n1704153600,10.5,12,10,11.5,1200,950,2,60\n');
    const f = loadFile(p, { cacheDir: null });
    expect(f.errors).toEqual([]);
    expect(f.layout).toBe('tradingview');
    expect(f.timeKind).toBe('epoch_s');
    expect(f.columns).toEqual({ ignored: ['Volume MA', 'Plot', 'RSI'], volume: true, adjusted: false });
    const s = f.series[0]!;
    expect([...s.time]).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
    expect([...s.close]).toEqual([10.5, 11.5]);
    expect([...s.volume]).toEqual([1000, 1200]);
  });

  it('TradingView export without volume and with ISO time: volume is NaN and said so', () => {
    const p = writeTemp(dir, 'TV2.csv', 'time,open,high,low,close,Plot\n2024-01-01T00:00:00Z,10,11,9,10.5,3\n2024-01-02T00:00:00Z,10.5,12,10,11.5,4\n');
    const f = loadFile(p, { cacheDir: null });
    expect(f.errors).toEqual([]);
    expect(f.timeKind).toBe('iso');
    expect(f.columns).toEqual({ ignored: ['Plot'], volume: false, adjusted: false });
    expect([...f.series[0]!.volume].every(Number.isNaN)).toBe(true);
    expect([...f.series[0]!.open]).toEqual([10, 10.5]);
  });

  it('a bad row of a file without volume is still reported with its line (cold path)', () => {
    const p = writeTemp(dir, 'TV3.csv', 'time,open,high,low,close\n2024-01-01,10,11,9,10.5\n2024-01-02,10.5,x,10,11.5\n');
    const f = loadFile(p, { cacheDir: null });
    expect(f.errors.map((e) => `${e.line} ${e.message}`)).toEqual(['3 high "x" is not a number']);
  });

  it('Yahoo: Close by default; --adjusted rescales open, high, low and close by Adj Close / Close', () => {
    const p = writeTemp(dir, 'YH.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,100,104,99,102,51,10\n2020-01-03,102,103,100,101,50.5,11\n');
    const plain = loadFile(p, { cacheDir: null });
    expect(plain.columns).toEqual({ ignored: ['Adj Close'], volume: true, adjusted: false });
    expect([...plain.series[0]!.close]).toEqual([102, 101]);
    const adj = loadFile(p, { cacheDir: null, adjusted: true });
    expect(adj.columns.adjusted).toBe(true);
    const s = adj.series[0]!;
    // factor = 51/102 = 0.5 and 50.5/101 = 0.5 exactly.
    expect([...s.open]).toEqual([50, 51]);
    expect([...s.high]).toEqual([52, 51.5]);
    expect([...s.low]).toEqual([49.5, 50]);
    expect([...s.close]).toEqual([51, 50.5]);
    expect([...s.volume]).toEqual([10, 11]);
  });

  it('the cache keeps plain and adjusted loads apart and carries the column notes', () => {
    const cache = tempDir('gauntlet-columns-cache-');
    const p = writeTemp(dir, 'YH2.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,100,104,99,102,51,10\n');
    loadFile(p, { cacheDir: cache });
    loadFile(p, { cacheDir: cache, adjusted: true });
    const plain = loadFile(p, { cacheDir: cache });
    const adj = loadFile(p, { cacheDir: cache, adjusted: true });
    expect([plain.cache, adj.cache]).toEqual(['hit', 'hit']);
    expect(plain.series[0]!.close[0]).toBe(102);
    expect(adj.series[0]!.close[0]).toBe(51);
    expect(plain.columns.ignored).toEqual(['Adj Close']);
  });

  it('refuses what it cannot read safely, naming the columns', () => {
    const both = writeTemp(dir, 'DT.csv', 'Date,Time,Open,High,Low,Close,Volume\n2020-01-02,09:30,1,1,1,1,1\n');
    expect(refusal(both).split('\n')[0]).toBe(`${both}:1: unrecognised header "Date,Time,Open,High,Low,Close,Volume" (two time columns: "Date" (column 1) and "Time" (column 2); combine date and time into one column, or rename the other).`);
    const noClose = writeTemp(dir, 'NC.csv', 'date,open,high,low,price\n2020-01-02,1,1,1,1\n');
    expect(refusal(noClose).split('\n')[0]).toBe(`${noClose}:1: unrecognised header "date,open,high,low,price" (no close column (close)).`);
    const noAdj = writeTemp(dir, 'NA.csv', 'date,open,high,low,close,volume\n2020-01-02,1,1,1,1,1\n');
    expect(refusal(noAdj, { adjusted: true })).toBe(`${noAdj}:1: adjusted prices were asked for (--adjusted), but the file has no Adj Close column; drop --adjusted for this file`);
  });

  it('mapHeader: case, quotes and underscores do not matter; a symbol column makes a long file', () => {
    const m = mapHeader(['"Timestamp"', 'OPEN', 'High', 'low', 'Close', 'adj_close', 'VOL', 'Ticker'], true);
    expect(m.ok && [m.map.name, m.map.time, m.map.adjClose, m.map.volume, m.map.symbol, m.map.notes.ignored.length]).toEqual(['ohlcv-long', 0, 5, 6, 7, 0]);
  });
});

describe('volume indicators on a series without volume', () => {
  const p = writeTemp(dir, 'NOVOL.csv', `time,open,high,low,close\n${Array.from({ length: 60 }, (_, i) => `${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)},10,11,9,${10 + (i % 3) / 10}`).join('\n')}\n`);
  const bars = loadBarsFromFile(p, '1d', { cacheDir: null }).bars;

  it('are refused with the symbol and what reads volume', () => {
    expect(() => compile(spec('obv-wma-momentum.json')).backtest(bars)).toThrow(UserError);
    expect(() => compile(spec('obv-wma-momentum.json')).backtest(bars)).toThrow(/^NOVOL 1d: its data has no volume column, so obv \(obv\) cannot run on it; use data with volume, or a rule without it$/);
  });

  it('while a price-only spec runs', () => {
    expect(() => compile(spec('rsi-reversion.json')).backtest(bars)).not.toThrow();
  });
});
