/**
 * The one loader for bar files: CSV or TSV (delimiter sniffed from the header), optionally gzipped,
 * in any layout of `formats.ts`, through the binary cache. See `parse.ts` for the validation contract
 * (strict by default; `repair` drops and reports; `sort` only for sources declared unsorted).
 */
import { basename, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import type { Interval } from '../../core/intervals.ts';
import type { Bars } from './bars.ts';
import { cacheKey, readCache, resolveCacheDir, sameIdentity, sourceId, writeCache, type CacheStatus, type DecodeResult, type SourceId } from './cache.ts';
import { formatIssues, plural, type RowIssue } from './issues.ts';
import { parseBars, type ParsedFile, type SeriesColumns, type SpikeOptions } from './parse.ts';
import { decompress, isGzip, readBytes, statSource } from './source.ts';
import { sha256 } from '../../core/spec/hash.ts';

export interface LoadFileOptions {
  /** How the file is named in messages (default: the path as given). */
  readonly display?: string;
  /** Symbol of a one-symbol file (default: the file name up to its first dot). Ignored for long files. */
  readonly symbol?: string;
  /** The source is declared unsorted: sort silently (duplicates remain errors). Never for user files. */
  readonly sort?: boolean;
  /** Drop bad rows (and suspected bad ticks), move out-of-order rows; every one is listed in `repairs`. */
  readonly repair?: boolean;
  readonly spike?: SpikeOptions | false;
  /** Use Adj Close, rescaling open, high and low with it (columns.ts). */
  readonly adjusted?: boolean;
  /** Cache directory; `null` disables the cache; undefined → env GAUNTLET_CACHE → ./.gauntlet/cache. */
  readonly cacheDir?: string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedFile extends ParsedFile {
  readonly path: string;
  readonly cache: CacheStatus;
  /** Why the cache was rebuilt or could not be written, if it was. */
  readonly cacheNote?: string;
}

export function defaultSymbol(path: string): string {
  return basename(path).split('.')[0] ?? basename(path);
}

/** Cached issues carry the file name and (one-symbol files) symbol of the load that built the entry. */
function relabel(issues: RowIssue[], file: string, symbol: string | undefined): RowIssue[] {
  return issues.map((i) => (i.file === file && (symbol === undefined || i.symbol === symbol) ? i : { ...i, file, ...(symbol === undefined ? {} : { symbol }) }));
}

/**
 * Loads and validates a whole file. Row problems never throw here: they are returned in `errors`
 * (strict) or `repairs` (repair). Throws `UserError` for file-level problems: missing or unreadable
 * file, bad gzip, empty file, unrecognised header.
 */
export function loadFile(path: string, opts: LoadFileOptions = {}): LoadedFile {
  const display = opts.display ?? path;
  const symbol = opts.symbol ?? defaultSymbol(path);
  const st = statSource(path, display);
  const cacheDir = resolveCacheDir(opts.cacheDir, opts.env);
  // The symbol is not part of the key: it only names a one-symbol file's rows, and is re-applied on a hit.
  // Whether the name ends in .gz is: a `.gz` name on plain content is refused, and a hit must not skip that.
  // `adjusted` enters the key only when set, so plain loads keep their existing cache entries.
  const keyOptions = { sort: opts.sort === true, repair: opts.repair === true, spike: opts.spike ?? null, gzName: /\.gz$/i.test(display), adjusted: opts.adjusted === true ? true : undefined };
  const key = cacheDir === null ? '' : cacheKey(resolve(path), keyOptions);
  const entry = cacheDir === null ? undefined : readCache(cacheDir, key);
  // The common case: the file has not changed since the entry was built, and is not read at all.
  if (entry?.ok === true && sameIdentity(entry.source, st)) return fromEntry(entry, path, display, symbol);

  const readAt = Date.now();
  const raw = readBytes(path, display);
  if (!isGzip(raw) && keyOptions.gzName) decompress(raw, display);
  let status: CacheStatus = 'off';
  let note: string | undefined;
  if (cacheDir !== null) {
    const source = sourceId(st, sha256(raw), readAt);
    if (entry?.ok === true && entry.source.sha256 === source.sha256) {
      // Same bytes under a new identity (touched, copied back, or first seen while racy): re-stamp the entry.
      if (!sameStamp(entry.source, source)) writeCache(cacheDir, key, source, entry.parsed);
      return fromEntry(entry, path, display, symbol);
    }
    status = entry === undefined || entry.ok ? 'miss' : 'rebuilt';
    if (entry !== undefined && !entry.ok) note = `cache entry was unusable (${entry.reason}); rebuilt`;
    const parsed = parseBars(decompress(raw, display), display, parseOptions(opts, symbol));
    const failed = writeCache(cacheDir, key, source, parsed);
    if (failed !== undefined) note = failed;
    return { ...parsed, path, cache: status, ...(note === undefined ? {} : { cacheNote: note }) };
  }
  const parsed = parseBars(decompress(raw, display), display, parseOptions(opts, symbol));
  return { ...parsed, path, cache: status };
}

function parseOptions(opts: LoadFileOptions, symbol: string): Parameters<typeof parseBars>[2] {
  return { symbol, sort: opts.sort === true, repair: opts.repair === true, adjusted: opts.adjusted === true, ...(opts.spike === undefined ? {} : { spike: opts.spike }) };
}

function sameStamp(a: SourceId, b: SourceId): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev && a.trusted === b.trusted;
}

/** A cache hit as a LoadedFile: this load's file name and (one-symbol files) symbol re-applied. */
function fromEntry(entry: Extract<DecodeResult, { ok: true }>, path: string, display: string, symbol: string): LoadedFile {
  const p = entry.parsed;
  const one = p.layout === 'ohlcv-long' ? undefined : symbol;
  return {
    ...p, file: display, path, cache: 'hit',
    series: one === undefined ? p.series : p.series.map((s) => ({ ...s, symbol: one })),
    errors: relabel(p.errors, display, one), warnings: relabel(p.warnings, display, one), repairs: relabel(p.repairs, display, one),
  };
}

/** Errors of one symbol (all symbols when omitted). */
export function errorsFor(file: ParsedFile, symbol?: string): RowIssue[] {
  return symbol === undefined ? file.errors : file.errors.filter((e) => e.symbol === symbol);
}

/** Throws a UserError listing the bad rows (capped at 20) if the file — or that symbol of it — has errors. */
export function requireClean(file: ParsedFile, symbol?: string): void {
  const errs = errorsFor(file, symbol);
  if (errs.length === 0) return;
  const what = symbol === undefined ? '' : ` for ${symbol}`;
  throw new UserError(`${file.file}: ${plural(errs.length, 'bad row')}${what}; nothing was loaded:\n${formatIssues(errs)}\nFix these rows in the file, or load with --repair (repair: true) to drop them — every dropped row is listed.`);
}

export function findSeries(file: ParsedFile, symbol: string): SeriesColumns | undefined {
  return file.series.find((s) => s.symbol === symbol);
}

export function toBars(s: SeriesColumns, interval: Interval, symbol = s.symbol): Bars {
  return { symbol, interval, time: s.time, open: s.open, high: s.high, low: s.low, close: s.close, volume: s.volume };
}

export interface FileBars {
  readonly bars: Bars;
  /** Repair only: rows dropped or moved, for this symbol. */
  readonly repairs: RowIssue[];
  /** Strict only: suspected bad ticks that were kept, for this symbol. */
  readonly warnings: RowIssue[];
  readonly file: LoadedFile;
}

/**
 * Loads one symbol's bars from a file (the only series of a one-symbol file, or `symbol` of a long file).
 * Strict unless `repair`: any bad row of that symbol → UserError listing them.
 */
export function loadBarsFromFile(path: string, interval: Interval, opts: LoadFileOptions = {}): FileBars {
  const file = loadFile(path, opts);
  const long = file.layout === 'ohlcv-long';
  const symbol = long ? opts.symbol : (opts.symbol ?? defaultSymbol(path));
  let series: SeriesColumns | undefined;
  if (long) {
    if (symbol === undefined) {
      if (file.series.length !== 1) throw new UserError(`${file.file}: holds ${plural(file.series.length, 'symbol')} (Name column); say which one to load`);
      series = file.series[0];
    } else {
      series = findSeries(file, symbol);
      if (series === undefined) throw new UserError(`${file.file}: no rows for symbol "${symbol}" in its Name column`);
    }
  } else {
    series = file.series[0];
  }
  if (file.rows === 0 || series === undefined) throw new UserError(`${file.file}: no data rows (only a header)`);
  if (opts.repair !== true) requireClean(file, long ? series.symbol : undefined);
  if (series.time.length === 0) throw new UserError(`${file.file}: no valid rows${long ? ` for ${series.symbol}` : ''} — every row was dropped`);
  const sym = series.symbol;
  const mine = (list: RowIssue[]): RowIssue[] => (long ? list.filter((i) => i.symbol === sym) : list);
  return { bars: toBars(series, interval, opts.symbol ?? sym), repairs: mine(file.repairs), warnings: mine(file.warnings), file };
}
