/** What `data import` reads: the input files (directories expanded), symbols from file names, the sector file. */
import { readdirSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { mapHeader } from './columns.ts';
import { sniffDelimiter } from './formats.ts';
import { parseCsvRecords } from './records.ts';
import { decompress, readRaw } from './source.ts';

export const DATA_EXTS = ['.csv', '.tsv', '.csv.gz', '.tsv.gz'];

export interface Input { path: string; display: string }

/** The symbol a one-symbol file is named for: `AAPL.csv` → AAPL, TradingView's `NASDAQ_AAPL, 1D_3f2a1.csv` → AAPL. */
export function symbolFromFileName(path: string): string {
  const base = basename(path).replace(/\.(csv|tsv)(\.gz)?$/i, '');
  const tv = /^[A-Za-z0-9]+_([A-Za-z0-9.^-]+), ?[0-9A-Za-z]+(?:_[0-9a-f]+)?$/.exec(base);
  return tv?.[1] ?? base;
}

export function expandInputs(inputs: readonly string[], cwd: string): Input[] {
  const files: Input[] = [];
  const problems: string[] = [];
  for (const given of inputs) {
    const abs = resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      problems.push(`${given}: file not found`);
      continue;
    }
    if (!isDir) { files.push({ path: abs, display: given }); continue; }
    const inside = readdirSync(abs).filter((f) => DATA_EXTS.some((e) => f.toLowerCase().endsWith(e))).sort();
    if (inside.length === 0) problems.push(`${given}: no data files in this directory (looked for ${DATA_EXTS.join(', ')})`);
    for (const f of inside) files.push({ path: resolve(abs, f), display: `${given.replace(/\/+$/, '')}/${f}` });
  }
  if (problems.length > 0) throw new UserError(`gauntlet data import: nothing was written:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return files;
}

/** True when the file's header has an Adj Close column (so --adjusted applies to it). */
export function hasAdjClose(input: Input): boolean {
  const bytes = decompress(readRaw(input.path, input.display), input.display);
  let eol = bytes.indexOf(10);
  if (eol < 0) eol = bytes.length;
  const header = bytes.subarray(0, eol).toString('utf8').replace(/^\uFEFF/, '').replace(/\r$/, '');
  const d = sniffDelimiter(header);
  if (d === undefined) return false;
  const m = mapHeader(header.split(String.fromCharCode(d)), true);
  return m.ok;
}

/** symbol → sector from a CSV with a `symbol` column and a `sector` (or `gics_sector`) column. */
export function readSectorFile(path: string, shown: string): Map<string, { sector: string; line: number }> {
  let rows: string[][];
  try {
    rows = parseCsvRecords(readRaw(path, shown).toString('utf8'));
  } catch (e) {
    throw new UserError(`${shown}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const si = header.indexOf('symbol');
  const gi = header.includes('sector') ? header.indexOf('sector') : header.indexOf('gics_sector');
  if (si < 0 || gi < 0) throw new UserError(`${shown}:1: expected a header with the columns "symbol" and "sector" (or "gics_sector"), found "${(rows[0] ?? []).join(',')}"`);
  const map = new Map<string, { sector: string; line: number }>();
  rows.slice(1).forEach((r, k) => {
    const sym = (r[si] ?? '').trim();
    const sector = (r[gi] ?? '').trim();
    if (sym === '' || sector === '') throw new UserError(`${shown}:${k + 2}: empty symbol or sector`);
    map.set(sym, { sector, line: k + 2 });
  });
  return map;
}
