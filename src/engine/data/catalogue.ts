/**
 * The universe catalogue: which symbols exist, their sector and market type, which intervals they can be
 * loaded at, and `loadBars` to get them (native file through the cache, resampled up the ladder when needed).
 * How a catalogue is built lives beside it: bundled.ts (the repo's data/), directory.ts (a directory with a
 * universe.json). Did-you-mean for unknown symbols: suggestions.ts.
 *
 * Available intervals = native intervals + every ladder interval that is a whole multiple of a native
 * one and coarser. A request uses the native file of that interval if there is one, else resamples the
 * coarsest native interval that divides it.
 */
import { isAbsolute, relative } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { INTERVAL_MS, IntervalSchema, LADDER, isInterval, type Interval } from '../../core/intervals.ts';
import type { BarLabel, MarketType } from '../../core/universe.ts';
import { sliceBars, type Bars } from './bars.ts';
import type { CacheStatus } from './cache.ts';
import { formatTime, parseIsoTime } from './fields.ts';
import type { RowIssue } from './issues.ts';
import { findSeries, loadFile, requireClean, toBars, type LoadedFile } from './load.ts';
import { resample, type Anchoring } from './resample.ts';
import { backAdjust } from './splits.ts';
import { suggest } from './suggestions.ts';

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
  /** Read Adj Close and rescale the prices with it (universe.json `adjusted`). */
  readonly adjusted?: boolean;
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
  /** Where the data came from (universe.json `source`: the imported file, or provider and market). */
  readonly source?: string;
  /** Confirmed splits, back-adjusted on every load (universe.json `splits`). */
  readonly splits?: readonly ConfirmedSplit[];
}

/** A split the user confirmed: bars before `time` get prices ÷ factor and volume × factor. */
export interface ConfirmedSplit {
  readonly time: number;
  readonly ratio: string;
  readonly factor: number;
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
  readonly adjusted?: boolean;
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
    /** Declared survivorship: "biased" when the symbols are today's survivors back-cast; verdicts say so. */
    readonly survivorship?: 'biased' | 'free',
    /** Where the data came from (universe.json `provenance`). */
    readonly provenance?: Readonly<Record<string, string | number | boolean>>,
  ) {}

  /**
   * This universe without some native series (`SYMBOL@INTERVAL`): what a replayed research session saw
   * before its own downloads added them. A symbol left with no series is left out.
   */
  without(hidden: ReadonlySet<string>): Universe {
    if (hidden.size === 0) return this;
    const table = new Map<string, SymbolInfo>();
    for (const [symbol, info] of this.table) {
      const sources = info.sources.filter((s) => !hidden.has(`${symbol}@${s.interval}`));
      if (sources.length === 0) continue;
      table.set(symbol, sources.length === info.sources.length ? info : { ...info, sources, intervals: availableIntervals(sources.map((s) => s.interval)) });
    }
    return new Universe(this.name, this.kind, this.dir, table, this.referenceFiles, this.opts, this.survivorship, this.provenance);
  }

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
        const key = `${src.path}\0${src.sort}\0${src.adjusted === true}`;
        const e = byKey.get(key);
        if (e === undefined) byKey.set(key, { src, symbols: [info.symbol] });
        else e.symbols.push(info.symbol);
      }
    }
    const files: DataFile[] = [...byKey.values()].map(({ src, symbols }) => ({
      path: src.path, display: src.display, interval: src.interval, label: src.label, sort: src.sort,
      fileSymbol: src.fileSymbol, symbols: symbols.sort(), reference: false, ...(src.adjusted === true ? { adjusted: true } : {}),
    }));
    files.sort((a, b) => a.display.localeCompare(b.display));
    return [...files, ...this.referenceFiles];
  }

  /** Loads (with the cache) a whole data file of this universe, memoised per process. */
  loadDataFile(f: Pick<DataFile, 'path' | 'display' | 'sort' | 'fileSymbol' | 'adjusted'>, repair: boolean): LoadedFile {
    const key = `${f.path}\0${f.sort}\0${repair}\0${f.adjusted === true}`;
    let file = this.memo.get(key);
    if (file === undefined) {
      file = loadFile(f.path, {
        display: f.display, symbol: f.fileSymbol, sort: f.sort, repair, ...(f.adjusted === true ? { adjusted: true } : {}),
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
    // Confirmed splits are back-adjusted here, on a copy: the file and its cache stay as the user gave them.
    let bars = toBars(info.splits === undefined || info.splits.length === 0 ? series : backAdjust(series, info.splits), src.interval, symbol);
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

/** `abs` relative to `cwd` when it lies inside it (how paths are shown in messages), else absolute. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

