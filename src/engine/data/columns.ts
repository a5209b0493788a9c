/**
 * Header → column mapping: which field of a bar file holds the time, the prices, the volume, the symbol
 * and (Yahoo) the adjusted close. Matching is by name, not position, so exports with extra columns
 * (TradingView's indicator plots) or without volume still load; it stays safe by refusing anything
 * ambiguous rather than guessing:
 * - names are compared case-insensitively, trimmed, quotes stripped, `_` read as a space;
 * - time, open, high, low and close are required, each exactly once (two candidate columns, e.g. a
 *   separate Date and Time, are refused with both named);
 * - volume is optional: without it volume is NaN, said in the notes, and volume indicators are refused;
 * - every other column is ignored and listed in the notes.
 * Pure (no I/O).
 */
import type { Layout, LayoutName } from './formats.ts';

type Role = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'adjClose' | 'symbol';

/** Accepted names per role, normalised (lower case, single spaces). */
const NAMES: Readonly<Record<Role, readonly string[]>> = {
  time: ['date', 'time', 'datetime', 'timestamp'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close'],
  volume: ['volume', 'vol'],
  adjClose: ['adj close', 'adjclose', 'adjusted close'],
  symbol: ['name', 'symbol', 'ticker'],
};
const REQUIRED: readonly Role[] = ['time', 'open', 'high', 'low', 'close'];

/** What the mapping dropped or lacks, for the user (carried through the cache with the parsed file). */
export interface ColumnNotes {
  /** Header names of the columns that were not read, in file order. */
  readonly ignored: string[];
  /** False when the file has no volume column (volume is NaN). */
  readonly volume: boolean;
  /** True when Adj Close was used and O/H/L/C were rescaled by Adj Close / Close. */
  readonly adjusted: boolean;
}

export const PLAIN_COLUMNS: ColumnNotes = { ignored: [], volume: true, adjusted: false };

/** A layout found by name: field indices (volume −1 when absent) plus the adjusted close (−1 when absent). */
export interface ColumnMap extends Layout {
  readonly adjClose: number;
  /** Header names as written (quotes stripped), by field index. */
  readonly names: readonly string[];
  readonly notes: ColumnNotes;
}

export type HeaderMatch = { readonly ok: true; readonly map: ColumnMap } | { readonly ok: false; readonly problem: string; readonly adjusted?: true };

export function normaliseName(h: string): string {
  return h.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ');
}

const ROLE_OF = new Map<string, Role>();
for (const [role, names] of Object.entries(NAMES) as [Role, readonly string[]][]) for (const n of names) ROLE_OF.set(n, role);

/**
 * Maps header fields to roles. `adjusted`: read Adj Close and rescale the prices with it (refused when
 * there is no such column); otherwise an Adj Close column is listed among the ignored ones.
 */
export function mapHeader(fields: readonly string[], adjusted = false): HeaderMatch {
  const names = fields.map((f) => f.trim().replace(/^"(.*)"$/, '$1').trim());
  const found = new Map<Role, number[]>();
  const ignored: number[] = [];
  names.forEach((n, i) => {
    const role = ROLE_OF.get(normaliseName(n));
    if (role === undefined) { ignored.push(i); return; }
    const list = found.get(role);
    if (list === undefined) found.set(role, [i]); else list.push(i);
  });
  for (const [role, idx] of found) {
    if (idx.length > 1) {
      const shown = idx.map((i) => `"${names[i]}" (column ${i + 1})`).join(' and ');
      const fix = role === 'time' ? 'combine date and time into one column, or rename the other' : 'rename or remove one of them';
      return { ok: false, problem: `two ${role === 'adjClose' ? 'adjusted close' : role} columns: ${shown}; ${fix}` };
    }
  }
  const missing = REQUIRED.filter((r) => !found.has(r));
  if (missing.length > 0) {
    return { ok: false, problem: `no ${missing.map((r) => `${r} column (${NAMES[r].join(' / ')})`).join(', no ')}` };
  }
  const at = (r: Role): number => found.get(r)?.[0] ?? -1;
  const adjIdx = at('adjClose');
  if (adjusted && adjIdx < 0) return { ok: false, adjusted: true, problem: 'adjusted prices were asked for (--adjusted), but the file has no Adj Close column; drop --adjusted for this file' };
  if (!adjusted && adjIdx >= 0) ignored.push(adjIdx);
  ignored.sort((a, b) => a - b);
  const symbol = at('symbol');
  const timeName = normaliseName(names[at('time')] ?? '');
  const adjName = adjIdx >= 0 ? normaliseName(names[adjIdx] ?? '') : '';
  const name: LayoutName = symbol >= 0 ? 'ohlcv-long'
    : adjName === 'adj close' ? 'yahoo'
      : adjIdx >= 0 ? 'ohlcv-adjclose'
        : timeName === 'time' ? 'tradingview' : 'ohlcv';
  return {
    ok: true,
    map: {
      name, header: names.join(','), description: '',
      time: at('time'), open: at('open'), high: at('high'), low: at('low'), close: at('close'),
      volume: at('volume'), symbol, fields: names.length,
      adjClose: adjusted ? adjIdx : -1, names,
      notes: { ignored: ignored.map((i) => names[i] ?? '?'), volume: found.has('volume'), adjusted },
    },
  };
}

/** One line per thing the user should know about the columns, or nothing for a plain file. */
export function describeColumns(n: ColumnNotes): string[] {
  const out: string[] = [];
  if (n.ignored.length > 0) out.push(`ignored ${n.ignored.length === 1 ? 'column' : 'columns'}: ${n.ignored.join(', ')}`);
  if (!n.volume) out.push('no volume column: volume is NaN, and volume indicators (obv, mfi, the volume field) are refused on it');
  if (n.adjusted) out.push('adjusted: open, high, low and close rescaled by Adj Close / Close');
  return out;
}
