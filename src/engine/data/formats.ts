/**
 * The CSV/TSV layouts the loader accepts, recognised by their header (case-insensitive, trimmed,
 * quotes stripped). Column order is fixed per layout; extra or missing columns are an error that lists
 * these layouts, so a user knows exactly what to export.
 */

export type LayoutName = 'ohlcv' | 'ohlcv-long' | 'ohlcv-adjclose' | 'yahoo' | 'tradingview';

export interface Layout {
  readonly name: LayoutName;
  /** The header as documented (display form). */
  readonly header: string;
  readonly description: string;
  /** Field index of each role; `symbol` is -1 for one-symbol files. `Adj Close` is never read. */
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
 * - `yahoo`: Yahoo Finance download. We read **Close, not Adj Close**: Yahoo's Close is split-adjusted but
 *   not dividend-adjusted, and Adj Close rescales history every time a dividend is paid, which would make
 *   Open/High/Low inconsistent with it. Backtests trade the prices that printed (split-adjusted).
 * - `ohlcv-adjclose`: the bundled S&P 500 index file; `adjclose` is ignored likewise.
 * - `ohlcv-long`: several symbols in one file, split by the `Name` column (the bundled stock set).
 */
export const LAYOUTS: readonly Layout[] = [
  { name: 'ohlcv', header: 'date,open,high,low,close,volume', description: 'Gauntlet/bundled', ...plain, volume: 5, symbol: -1, fields: 6 },
  { name: 'ohlcv-long', header: 'date,open,high,low,close,volume,Name', description: 'long format, one symbol per Name', ...plain, volume: 5, symbol: 6, fields: 7 },
  { name: 'ohlcv-adjclose', header: 'date,open,high,low,close,adjclose,volume', description: 'adjclose ignored', ...plain, volume: 6, symbol: -1, fields: 7 },
  { name: 'yahoo', header: 'Date,Open,High,Low,Close,Adj Close,Volume', description: 'Yahoo Finance; Close is used, Adj Close ignored', ...plain, volume: 6, symbol: -1, fields: 7 },
  { name: 'tradingview', header: 'time,open,high,low,close,Volume', description: 'TradingView export', ...plain, volume: 5, symbol: -1, fields: 6 },
];

function normalise(h: string): string {
  return h.split(',').map((f) => f.trim().toLowerCase()).join(',');
}

const BY_HEADER = new Map(LAYOUTS.map((l) => [normalise(l.header), l]));

/** Finds the layout for a header's field names, or undefined. */
export function matchLayout(fields: readonly string[]): Layout | undefined {
  const key = fields.map((f) => f.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase()).join(',');
  return BY_HEADER.get(key);
}

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
