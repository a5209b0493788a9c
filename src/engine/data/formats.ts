/**
 * The CSV/TSV layouts the loader documents. Columns are found by name (columns.ts), so these are the
 * usual exports, not the only accepted orders: extra columns are ignored and listed, volume may be
 * missing. A header without the required columns is an error that lists these layouts.
 */

export type LayoutName = 'ohlcv' | 'ohlcv-long' | 'ohlcv-adjclose' | 'yahoo' | 'tradingview';

export interface Layout {
  readonly name: LayoutName;
  /** The header as documented (display form). */
  readonly header: string;
  readonly description: string;
  /** Field index of each role; `symbol` is -1 for one-symbol files, `volume` -1 when the file has none. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly symbol: number;
  readonly fields: number;
}

const plain = { time: 0, open: 1, high: 2, low: 3, close: 4 };

/**
 * Accepted layouts.
 * - `yahoo`: Yahoo Finance download. We read **Close, not Adj Close**, unless asked (`--adjusted`): Yahoo's
 *   Close is split-adjusted but not dividend-adjusted, and Adj Close rescales history every time a dividend
 *   is paid. With `--adjusted`, open, high, low and close are all multiplied by Adj Close / Close, so the
 *   bar stays consistent.
 * - `ohlcv-adjclose`: the bundled S&P 500 index file; `adjclose` is ignored likewise.
 * - `ohlcv-long`: several symbols in one file, split by the `Name` column (the bundled stock set).
 */
export const LAYOUTS: readonly Layout[] = [
  { name: 'ohlcv', header: 'date,open,high,low,close,volume', description: 'Gauntlet/bundled', ...plain, volume: 5, symbol: -1, fields: 6 },
  { name: 'ohlcv-long', header: 'date,open,high,low,close,volume,Name', description: 'long format, one symbol per Name', ...plain, volume: 5, symbol: 6, fields: 7 },
  { name: 'ohlcv-adjclose', header: 'date,open,high,low,close,adjclose,volume', description: 'adjclose ignored', ...plain, volume: 6, symbol: -1, fields: 7 },
  { name: 'yahoo', header: 'Date,Open,High,Low,Close,Adj Close,Volume', description: 'Yahoo Finance; Close is used, Adj Close only with --adjusted', ...plain, volume: 6, symbol: -1, fields: 7 },
  { name: 'tradingview', header: 'time,open,high,low,close,Volume', description: 'TradingView export; time ISO or epoch, extra plot columns ignored', ...plain, volume: 5, symbol: -1, fields: 6 },
];

export function acceptedHeaders(): string {
  return LAYOUTS.map((l) => `  ${l.header.padEnd(44)} (${l.description})`).join('\n');
}

/** The field delimiter, sniffed from the header line: tab, else comma, else semicolon. */
export function sniffDelimiter(headerLine: string): number | undefined {
  if (headerLine.includes('\t')) return 9;
  if (headerLine.includes(',')) return 44;
  if (headerLine.includes(';')) return 59;
  return undefined;
}
