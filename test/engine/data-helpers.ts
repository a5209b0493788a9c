/** Shared helpers for the data tests: temp dirs/files and an independent reader of the bundled stock file. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
export const STOCKS = join(DATA_DIR, 'sp500_daily_2013_2018/all_stocks_5yr.csv.gz');

export function tempDir(prefix = 'gauntlet-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export interface RawRow { line: number; fields: string[] }

let stockRows: RawRow[] | undefined;

/**
 * The stock file read the naive way (gunzip, split on newlines and commas) — independent of the loader,
 * to compute expected line numbers. Line 1 is the header.
 */
export function rawStockRows(): RawRow[] {
  if (stockRows === undefined) {
    const text = gunzipSync(readFileSync(STOCKS)).toString('utf8');
    const lines = text.split('\n');
    stockRows = [];
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l === '') continue;
      stockRows.push({ line: i + 1, fields: l.split(',') });
    }
  }
  return stockRows;
}

let lineIndex: Map<string, number> | undefined;

/** Line of (symbol, date) in the stock file, found by the naive reader. */
export function stockLine(symbol: string, date: string): number {
  lineIndex ??= new Map(rawStockRows().map((r) => [`${r.fields[6]} ${r.fields[0]}`, r.line]));
  const line = lineIndex.get(`${symbol} ${date}`);
  if (line === undefined) throw new Error(`no row ${symbol} ${date}`);
  return line;
}

/** The raw row at a line of the stock file. */
export function stockRowAt(line: number): RawRow | undefined {
  const rows = rawStockRows();
  const r = rows[line - 2];
  return r?.line === line ? r : rows.find((x) => x.line === line);
}
