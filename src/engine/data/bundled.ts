/**
 * The bundled universe, built in code from data/ (see data/README.md):
 *     505 stocks  1d, sector from sp500_constituents/sector_map_all_stocks_5yr.csv, equities
 *     SPX         1d, sector "Index" (S&P 500 index, 2000–2020)
 *     AAPL, MSFT  1d from the stock set AND 1m from data/intraday (bar-END labels, Google getprices);
 *                 the interval decides the file: 1d → stock set, 1m…4h → intraday 1m resampled.
 *     BTCUSD      crypto, sector "Crypto", 1m native (Bitfinex), declared unsorted → `sort: true`
 *     BTCUSD_BITSTAMP  crypto, "Crypto", 5m native (Bitstamp), `sort: true`. A separate symbol, not a second
 *                 source of BTCUSD: another exchange with other prices and volumes, and mixing the two in one
 *                 series would be wrong. The Bitstamp 10m/30m files are not symbols: they are resampling
 *                 ground truth, listed by `files()` (reference: true) so `data check` validates them too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../core/errors.ts';
import type { Interval } from '../../core/intervals.ts';
import type { BarLabel, MarketType } from '../../core/universe.ts';
import { Universe, availableIntervals, displayPath, type DataFile, type NativeSource, type SymbolInfo, type UniverseOptions } from './catalogue.ts';
import { parseCsvRecords } from './records.ts';
import { anchoringFor } from './resample.ts';

/** The repo's data/ folder, found from this module's location (so the CLI works from any cwd). */
export function bundledDataDir(): string {
  return fileURLToPath(new URL('../../../data', import.meta.url));
}

/** The bundled files, relative to data/. */
export const BUNDLED = {
  stocks: 'sp500_daily_2013_2018/all_stocks_5yr.csv.gz',
  sectors: 'sp500_constituents/sector_map_all_stocks_5yr.csv',
  index: 'sp500_index_2000_2020/sp500-2000.csv',
  aapl: 'intraday/AAPL_INTRA_DAY.tsv',
  msft: 'intraday/MSFT_INTRA_DAY.tsv',
  bitfinex1m: 'intraday/bitfinex_xbtusd_1m.csv.gz',
  bitstamp5m: 'intraday/bitstamp_xbtusd_5m.csv.gz',
  bitstamp10m: 'intraday/bitstamp_xbtusd_10m.csv.gz',
  bitstamp30m: 'intraday/bitstamp_xbtusd_30m.csv.gz',
} as const;

/** Reads the sector map: symbol → GICS sector (pre-2018 taxonomy, see its SOURCE.txt). */
export function readSectorMap(path: string, display = path): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`${display}: not found — the bundled data folder is incomplete`);
  }
  let rows: string[][];
  try {
    rows = parseCsvRecords(text);
  } catch (e) {
    throw new UserError(`${display}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const si = header.indexOf('symbol');
  const gi = header.indexOf('gics_sector');
  if (si < 0 || gi < 0) throw new UserError(`${display}:1: expected columns "symbol" and "gics_sector"`);
  const map = new Map<string, string>();
  rows.slice(1).forEach((r, k) => {
    const sym = (r[si] ?? '').trim();
    const sector = (r[gi] ?? '').trim();
    if (sym === '' || sector === '') throw new UserError(`${display}:${k + 2}: empty symbol or gics_sector`);
    map.set(sym, sector);
  });
  return map;
}

/** The bundled universe (see the module comment). `dataDir` defaults to the repo's data/ folder. */
export function loadBundledUniverse(dataDir: string = bundledDataDir(), opts: UniverseOptions = {}): Universe {
  const cwd = opts.cwd ?? process.cwd();
  const abs = (rel: string): string => join(dataDir, rel);
  for (const rel of Object.values(BUNDLED)) {
    if (!existsSync(abs(rel))) throw new UserError(`${displayPath(abs(rel), cwd)}: bundled data file missing — the data/ folder is incomplete (see data/README.md)`);
  }
  const source = (rel: string, interval: Interval, fileSymbol: string, label: BarLabel = 'start', sort = false): NativeSource => ({
    interval, path: abs(rel), display: displayPath(abs(rel), cwd), label, sort, fileSymbol,
  });
  const table = new Map<string, SymbolInfo>();
  const add = (symbol: string, sector: string, market_type: MarketType, sources: NativeSource[]): void => {
    table.set(symbol, {
      symbol, sector, market_type, anchoring: anchoringFor(market_type),
      intervals: availableIntervals(sources.map((s) => s.interval)), sources,
    });
  };
  const sectors = readSectorMap(abs(BUNDLED.sectors), displayPath(abs(BUNDLED.sectors), cwd));
  for (const [sym, sector] of sectors) {
    const sources = [source(BUNDLED.stocks, '1d', sym)];
    if (sym === 'AAPL') sources.push(source(BUNDLED.aapl, '1m', 'AAPL', 'end'));
    if (sym === 'MSFT') sources.push(source(BUNDLED.msft, '1m', 'MSFT', 'end'));
    add(sym, sector, 'equities', sources);
  }
  add('SPX', 'Index', 'equities', [source(BUNDLED.index, '1d', 'SPX')]);
  add('BTCUSD', 'Crypto', 'crypto', [source(BUNDLED.bitfinex1m, '1m', 'BTCUSD', 'start', true)]);
  add('BTCUSD_BITSTAMP', 'Crypto', 'crypto', [source(BUNDLED.bitstamp5m, '5m', 'BTCUSD_BITSTAMP', 'start', true)]);
  const ref = (rel: string, interval: Interval): DataFile => ({
    path: abs(rel), display: displayPath(abs(rel), cwd), interval, label: 'start', sort: true,
    fileSymbol: 'BTCUSD_BITSTAMP', symbols: [], reference: true,
  });
  return new Universe('bundled', 'bundled', dataDir, table, [ref(BUNDLED.bitstamp10m, '10m'), ref(BUNDLED.bitstamp30m, '30m')], opts,
    // The stock set is the S&P 500 members of 2018 back-cast to 2013 (see its SOURCE.txt): survivors only.
    'biased', { stocks: 'S&P 500 members of Feb 2018 back-cast to 2013 (survivors only; see data/sp500_daily_2013_2018/SOURCE.txt)' });
}
