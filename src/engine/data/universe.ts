/**
 * Universes: which symbols exist, their sector and market type, which intervals they can be loaded at,
 * and `loadBars` to get them (native file through the cache, resampled up the ladder when needed).
 *
 * Two kinds:
 * - the bundled universe (`loadBundledUniverse`), built in code from data/ (see data/README.md):
 *     505 stocks  1d, sector from sp500_constituents/sector_map_all_stocks_5yr.csv, equities
 *     SPX         1d, sector "Index" (S&P 500 index, 2000–2020)
 *     AAPL, MSFT  1d from the stock set AND 1m from data/intraday (bar-END labels, Google getprices);
 *                 the interval decides the file: 1d → stock set, 1m…4h → intraday 1m resampled.
 *     BTCUSD      crypto, sector "Crypto", 1m native (Bitfinex), declared unsorted → `sort: true`
 *     BTCUSD_BITSTAMP  crypto, "Crypto", 5m native (Bitstamp), `sort: true`. A separate symbol, not a second
 *                 source of BTCUSD: another exchange with other prices and volumes, and mixing the two in one
 *                 series would be wrong. The Bitstamp 10m/30m files are not symbols: they are resampling
 *                 ground truth, listed by `files()` (reference: true) so `data check` validates them too.
 * - a directory universe (`loadUniverseDir`): CSV/TSV files plus a `universe.json` (UniverseFileSchema).
 *   A symbol without `files` uses `<SYMBOL>.csv|.tsv|.csv.gz|.tsv.gz`, its interval inferred from the
 *   smallest spacing between its first rows.
 *
 * Available intervals = native intervals + every ladder interval that is a whole multiple of a native
 * one and coarser. A request uses the native file of that interval if there is one, else resamples the
 * coarsest native interval that divides it.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zc, gunzipSync } from 'node:zlib';
import { UserError, formatZodError } from '../../core/errors.ts';
import { INTERVAL_MS, IntervalSchema, LADDER, isInterval, type Interval } from '../../core/intervals.ts';
import { UniverseFileSchema, type BarLabel, type MarketType } from '../../core/universe.ts';
import { sliceBars, type Bars } from './bars.ts';
import type { CacheStatus } from './cache.ts';
import { formatTime, parseIsoTime } from './fields.ts';
import type { RowIssue } from './issues.ts';
import { findSeries, loadFile, requireClean, toBars, type LoadedFile } from './load.ts';
import { parseBars } from './parse.ts';
import { parseCsvRecords } from './records.ts';
import { anchoringFor, resample, type Anchoring } from './resample.ts';
import { isGzip } from './source.ts';
import { MAX_DATA_BYTES, MAX_TEXT_BYTES, readInputFile, readInputText } from '../../core/input-file.ts';

/** One native file of a symbol. */
export interface NativeSource {
  readonly interval: Interval;
  /** Absolute path. */
  readonly path: string;
  /** The path as shown in messages. */
  readonly display: string;
  readonly label: BarLabel;
  /** Declared unsorted (bundled BTC files): rows are sorted on load, duplicates still fail. */
  readonly sort: boolean;
  /** The Name to pick in a long (Name-column) file; the symbol rows of a one-symbol file are reported under. */
  readonly fileSymbol: string;
}

export interface SymbolInfo {
  readonly symbol: string;
  readonly sector: string;
  readonly market_type: MarketType;
  /** How resampling anchors buckets for this symbol (crypto/forex: clock; equities/futures: session). */
  readonly anchoring: Anchoring;
  /** Loadable intervals, finest first. */
  readonly intervals: readonly Interval[];
  readonly sources: readonly NativeSource[];
}

/** A distinct data file of a universe, with the options it is loaded with (for `data check` / `info`). */
export interface DataFile {
  readonly path: string;
  readonly display: string;
  readonly interval: Interval;
  readonly label: BarLabel;
  readonly sort: boolean;
  /** Symbol for one-symbol files. */
  readonly fileSymbol: string;
  /** Universe symbols read from this file. */
  readonly symbols: readonly string[];
  /** Not a symbol's source: a ground-truth file kept for tests (bundled Bitstamp 10m/30m). */
  readonly reference: boolean;
}

export interface LoadBarsOptions {
  /** First bar time, inclusive: epoch ms or an ISO date/date-time (UTC unless it has a zone). */
  readonly from?: number | string;
  /** Last bar time, inclusive (same forms); a date without a time includes that whole UTC day. */
  readonly to?: number | string;
  /** Drop bad rows and suspected bad ticks instead of refusing; each is listed in `repairs`. */
  readonly repair?: boolean;
}

export interface LoadedBars {
  readonly bars: Bars;
  /** Label convention of `bars`: the native file's when not resampled; 'start' after resampling. */
  readonly label: BarLabel;
  readonly source: NativeSource;
  /** Set when `bars` were resampled from the source's interval. */
  readonly resampledFrom?: Interval;
  /** Repair only: this symbol's rows that were dropped or moved, with reasons. The caller prints them. */
  readonly repairs: RowIssue[];
  /** Strict only: this symbol's suspected bad ticks (kept). */
  readonly warnings: RowIssue[];
  readonly cache: CacheStatus;
}

export interface UniverseOptions {
  /** Cache directory (null: no cache). Default: env GAUNTLET_CACHE, else ./.gauntlet/cache. */
  readonly cacheDir?: string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base for display paths and the default cache dir (default: process.cwd()). */
  readonly cwd?: string;
}

/** The repo's data/ folder, found from this module's location (so the CLI works from any cwd). */
export function bundledDataDir(): string {
  return fileURLToPath(new URL('../../../data', import.meta.url));
}

export class Universe {
  private readonly memo = new Map<string, LoadedFile>();
  private readonly spacingChecked = new Set<string>();

  constructor(
    readonly name: string,
    readonly kind: 'bundled' | 'directory',
    readonly dir: string,
    private readonly table: ReadonlyMap<string, SymbolInfo>,
    private readonly referenceFiles: readonly DataFile[],
    private readonly opts: UniverseOptions,
  ) {}

  /** All symbols, sorted. */
  symbols(): string[] {
    return [...this.table.keys()].sort();
  }

  has(symbol: string): boolean {
    return this.table.has(symbol);
  }

  /** A symbol's metadata; unknown symbol → UserError with "did you mean". */
  info(symbol: string): SymbolInfo {
    const info = this.table.get(symbol);
    if (info !== undefined) return info;
    const guesses = suggest(symbol, [...this.table.keys()]);
    const hint = guesses.length > 0 ? ` Did you mean ${guesses.map((g) => `"${g}"`).join(', ')}?` : '';
    throw new UserError(`unknown symbol "${symbol}" in the ${this.name} universe (${this.table.size} symbols).${hint} Run 'gauntlet data info' to list them.`);
  }

  /** Symbol count per sector, largest first. */
  sectors(): [string, number][] {
    const m = new Map<string, number>();
    for (const s of this.table.values()) m.set(s.sector, (m.get(s.sector) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  /** Every distinct data file (symbol sources, then reference files). */
  files(): DataFile[] {
    const byKey = new Map<string, { src: NativeSource; symbols: string[] }>();
    for (const info of this.table.values()) {
      for (const src of info.sources) {
        const key = `${src.path}\0${src.sort}`;
        const e = byKey.get(key);
        if (e === undefined) byKey.set(key, { src, symbols: [info.symbol] });
        else e.symbols.push(info.symbol);
      }
    }
    const files: DataFile[] = [...byKey.values()].map(({ src, symbols }) => ({
      path: src.path, display: src.display, interval: src.interval, label: src.label, sort: src.sort,
      fileSymbol: src.fileSymbol, symbols: symbols.sort(), reference: false,
    }));
    files.sort((a, b) => a.display.localeCompare(b.display));
    return [...files, ...this.referenceFiles];
  }

  /** Loads (with the cache) a whole data file of this universe, memoised per process. */
  loadDataFile(f: Pick<DataFile, 'path' | 'display' | 'sort' | 'fileSymbol'>, repair: boolean): LoadedFile {
    const key = `${f.path}\0${f.sort}\0${repair}`;
    let file = this.memo.get(key);
    if (file === undefined) {
      file = loadFile(f.path, {
        display: f.display, symbol: f.fileSymbol, sort: f.sort, repair,
        ...(this.opts.cacheDir === undefined ? {} : { cacheDir: this.opts.cacheDir }),
        ...(this.opts.env === undefined ? {} : { env: this.opts.env }),
      });
      this.memo.set(key, file);
    }
    return file;
  }

  /**
   * Bars of `symbol` at `interval`: the native file if there is one at that interval, else the coarsest
   * native interval that divides it, resampled (see resample.ts for buckets and labels). Strict unless
   * `repair`: a bad row of this symbol → UserError listing every one (capped at 20).
   */
  loadBars(symbol: string, interval: Interval, opts: LoadBarsOptions = {}): LoadedBars {
    const info = this.info(symbol);
    if (!isInterval(interval) || !info.intervals.includes(interval)) {
      throw new UserError(`${symbol} is not available at ${String(interval)}; available: ${info.intervals.join(', ')}${isInterval(interval) ? '' : ` (known intervals: ${IntervalSchema.options.join(', ')})`}`);
    }
    const src = pickSource(info, interval);
    const repair = opts.repair === true;
    const file = this.loadDataFile(src, repair);
    const series = file.layout === 'ohlcv-long' ? findSeries(file, src.fileSymbol) : file.series[0];
    if (file.rows === 0) throw new UserError(`${src.display}: no data rows (only a header)`);
    if (series === undefined) {
      throw new UserError(`${src.display}: no rows for ${src.fileSymbol}${file.layout === 'ohlcv-long' ? ' in its Name column' : ''}`);
    }
    if (!repair) requireClean(file, file.layout === 'ohlcv-long' ? series.symbol : undefined);
    if (series.time.length === 0) throw new UserError(`${src.display}: no valid rows for ${symbol} — every row was dropped`);
    this.checkSpacing(src, series.time);
    let bars = toBars(series, src.interval, symbol);
    let label = src.label;
    if (interval !== src.interval) {
      bars = resample(bars, interval, { label: src.label, anchoring: info.anchoring });
      label = 'start';
    }
    bars = clip(bars, opts, symbol, interval);
    const mine = (list: RowIssue[]): RowIssue[] => list.filter((i) => i.symbol === series.symbol);
    return {
      bars, label, source: src,
      ...(interval !== src.interval ? { resampledFrom: src.interval } : {}),
      repairs: mine(file.repairs), warnings: mine(file.warnings), cache: file.cache,
    };
  }

  /** A file declared at interval X must not have bars closer than X (catches a mislabelled 1m file declared 1h). */
  private checkSpacing(src: NativeSource, time: Float64Array): void {
    const key = `${src.path}\0${src.fileSymbol}`;
    if (this.spacingChecked.has(key)) return;
    const need = INTERVAL_MS[src.interval];
    for (let i = 1; i < time.length; i++) {
      const d = (time[i] as number) - (time[i - 1] as number);
      if (d < need && !(src.interval === '1d' && d >= 20 * 3_600_000)) {
        throw new UserError(`${src.display}: declared as ${src.interval} bars, but ${src.fileSymbol} has bars ${formatTime(time[i - 1] as number)} and ${formatTime(time[i] as number)} only ${d / 60_000} min apart; declare the file under its real interval`);
      }
    }
    this.spacingChecked.add(key);
  }
}

function pickSource(info: SymbolInfo, interval: Interval): NativeSource {
  const exact = info.sources.find((s) => s.interval === interval);
  if (exact !== undefined) return exact;
  const want = INTERVAL_MS[interval];
  let best: NativeSource | undefined;
  for (const s of info.sources) {
    const ms = INTERVAL_MS[s.interval];
    if (ms < want && want % ms === 0 && (best === undefined || ms > INTERVAL_MS[best.interval])) best = s;
  }
  if (best === undefined) throw new Error(`no source for ${info.symbol} ${interval}`); // unreachable: intervals come from sources
  return best;
}

export function availableIntervals(native: readonly Interval[]): Interval[] {
  const out = new Set<Interval>(native);
  for (const l of LADDER) {
    for (const n of native) {
      const a = INTERVAL_MS[n];
      const b = INTERVAL_MS[l];
      if (b > a && b % a === 0) out.add(l);
    }
  }
  return [...out].sort((a, b) => INTERVAL_MS[a] - INTERVAL_MS[b]);
}

/**
 * Parses a from/to bound: epoch ms, or an ISO date/date-time string (UTC unless zoned). For `to`, a bare
 * date means the end of that UTC day (so `to: '2017-12-29'` includes that day's intraday bars).
 */
export function parseBound(v: number | string, what: 'from' | 'to'): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new UserError(`${what}: ${v} is not a time`);
    return v;
  }
  const text = Buffer.from(v.trim(), 'latin1');
  const t = parseIsoTime(text, 0, text.length);
  if (Number.isNaN(t)) throw new UserError(`${what}: "${v}" is not a date; use YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC)`);
  return what === 'to' && text.length === 10 ? t + 86_400_000 - 1 : t;
}

function clip(bars: Bars, opts: LoadBarsOptions, symbol: string, interval: Interval): Bars {
  if (opts.from === undefined && opts.to === undefined) return bars;
  const lo = opts.from === undefined ? -Infinity : parseBound(opts.from, 'from');
  const hi = opts.to === undefined ? Infinity : parseBound(opts.to, 'to');
  const t = bars.time;
  let a = 0;
  while (a < t.length && (t[a] as number) < lo) a++;
  let b = a;
  while (b < t.length && (t[b] as number) <= hi) b++;
  if (b === a) {
    const span = t.length > 0 ? `${formatTime(t[0] as number)} .. ${formatTime(t[t.length - 1] as number)}` : 'nothing';
    throw new UserError(`no ${symbol} ${interval} bars between ${opts.from === undefined ? 'the start' : formatTime(lo)} and ${opts.to === undefined ? 'the end' : formatTime(hi)}; the data covers ${span}`);
  }
  return sliceBars(bars, a, b);
}

// ---- did you mean -----------------------------------------------------------------------------------

/** Optimal-string-alignment distance: edits plus adjacent transpositions (MSTF → MSFT is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** Up to three close symbol names (case-insensitive exact match first). */
export function suggest(input: string, names: readonly string[]): string[] {
  const q = input.toUpperCase();
  const exact = names.filter((n) => n.toUpperCase() === q);
  if (exact.length > 0) return exact.slice(0, 3);
  const limit = Math.max(1, Math.floor(q.length / 3));
  return names
    .map((n) => ({ n, d: editDistance(q, n.toUpperCase()), p: n.toUpperCase().startsWith(q) ? 0 : 1 }))
    .filter((x) => x.d <= limit || (x.p === 0 && q.length >= 2))
    .sort((x, y) => x.d - y.d || x.p - y.p || x.n.localeCompare(y.n))
    .slice(0, 3)
    .map((x) => x.n);
}

// ---- bundled universe -------------------------------------------------------------------------------

function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
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
  return new Universe('bundled', 'bundled', dataDir, table, [ref(BUNDLED.bitstamp10m, '10m'), ref(BUNDLED.bitstamp30m, '30m')], opts);
}

// ---- directory universe -------------------------------------------------------------------------------

const DEFAULT_EXTS = ['.csv', '.tsv', '.csv.gz', '.tsv.gz'];

/** `dir` with CSV/TSV files and a universe.json (UniverseFileSchema). Every problem names the file and JSON path. */
export function loadUniverseDir(dir: string, opts: UniverseOptions = {}): Universe {
  const cwd = opts.cwd ?? process.cwd();
  const root = resolve(cwd, dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`${dir}: universe directory not found`);
  const jsonPath = join(root, 'universe.json');
  const jsonShown = displayPath(jsonPath, cwd);
  if (!existsSync(jsonPath)) {
    throw new UserError(`${jsonShown}: not found. A universe directory needs a universe.json beside its CSV files, e.g.\n  {"schema": "gauntlet/universe@1", "symbols": {"ACME": {"sector": "Industrials"}}}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readInputText(jsonPath, jsonShown, MAX_TEXT_BYTES, 'universe.json'));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${jsonShown}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = UniverseFileSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${formatZodError(parsed.error, jsonShown)}\nFix universe.json (schema "gauntlet/universe@1").`);
  const u = parsed.data;
  const table = new Map<string, SymbolInfo>();
  for (const [symbol, s] of Object.entries(u.symbols)) {
    const sources: NativeSource[] = [];
    const mk = (p: string, interval: Interval): NativeSource => ({
      interval, path: p, display: displayPath(p, cwd), label: s.label, sort: false, fileSymbol: symbol,
    });
    if (s.files !== undefined && Object.keys(s.files).length > 0) {
      for (const [iv, rel] of Object.entries(s.files)) {
        const p = resolve(root, rel);
        // The universe is its directory: a listed file may not point outside it (no "../..", no absolute path, no symlink out).
        if (!inside(root, p)) throw new UserError(`${jsonShown}: symbols.${symbol}.files.${iv}: "${rel}" is outside the universe directory ${displayPath(root, cwd)}; list files inside it`);
        if (!existsSync(p)) throw new UserError(`${jsonShown}: symbols.${symbol}.files.${iv}: file "${rel}" not found in ${displayPath(root, cwd)}`);
        sources.push(mk(p, iv as Interval));
      }
    } else {
      const found = DEFAULT_EXTS.map((ext) => join(root, `${symbol}${ext}`)).find((p) => existsSync(p));
      if (found === undefined) {
        throw new UserError(`${jsonShown}: symbols.${symbol}: no "files" given and none of ${DEFAULT_EXTS.map((e) => `${symbol}${e}`).join(', ')} exists in ${displayPath(root, cwd)}`);
      }
      sources.push(mk(found, inferInterval(found, displayPath(found, cwd), symbol, `${jsonShown}: symbols.${symbol}`)));
    }
    sources.sort((a, b) => INTERVAL_MS[a.interval] - INTERVAL_MS[b.interval]);
    table.set(symbol, {
      symbol, sector: s.sector, market_type: s.market_type, anchoring: anchoringFor(s.market_type),
      intervals: availableIntervals(sources.map((x) => x.interval)), sources,
    });
  }
  if (table.size === 0) throw new UserError(`${jsonShown}: symbols: no symbols listed`);
  return new Universe(u.name ?? basename(root), 'directory', root, table, [], opts);
}

/**
 * Infers a file's bar interval from the smallest spacing between bars among its first ~256 KB
 * (daily: 20–28 h, to tolerate local-midnight stamps across DST). Throws with a hint to declare it.
 */
export function inferInterval(path: string, display: string, symbol: string, where: string): Interval {
  let bytes: Buffer = readInputFile(path, display, MAX_DATA_BYTES, 'CSV/TSV bar');
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes.subarray(0, 256 * 1024), { finishFlush: zc.Z_SYNC_FLUSH });
    } catch (e) {
      throw new UserError(`${display}: corrupt gzip data (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  let chunk = bytes.subarray(0, 256 * 1024);
  if (chunk.length < bytes.length) chunk = chunk.subarray(0, chunk.lastIndexOf(10) + 1);
  const parsed = parseBars(chunk, display, { symbol, sort: true, spike: false });
  const series = parsed.layout === 'ohlcv-long' ? findSeries(parsed, symbol) : parsed.series[0];
  const t = series?.time;
  let min = Infinity;
  if (t !== undefined) for (let i = 1; i < t.length; i++) min = Math.min(min, (t[i] as number) - (t[i - 1] as number));
  const hint = `declare it: "files": {"1d": "${basename(path)}"} (or its real interval)`;
  if (!Number.isFinite(min)) throw new UserError(`${where}: cannot infer the bar interval of ${display}: fewer than two valid rows${parsed.layout === 'ohlcv-long' ? ` for ${symbol}` : ''}; ${hint}`);
  if (min >= 20 * 3_600_000 && min <= 28 * 3_600_000) return '1d';
  const iv = IntervalSchema.options.find((i) => INTERVAL_MS[i] === min);
  if (iv === undefined) throw new UserError(`${where}: cannot infer the bar interval of ${display}: bars are ${min / 60_000} min apart, which is not one of ${IntervalSchema.options.join(', ')}; ${hint}`);
  return iv;
}


/** Is `p` inside `root`, by path and after symlinks are resolved? */
function inside(root: string, p: string): boolean {
  const within = (r: string, q: string): boolean => {
    const rel = relative(r, q);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  if (!within(root, p)) return false;
  try {
    return within(realpathSync(root), realpathSync(p));
  } catch {
    return true; // not there: the caller says so
  }
}
