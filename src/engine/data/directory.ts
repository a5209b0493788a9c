/**
 * A directory universe: CSV/TSV files plus a `universe.json` (UniverseFileSchema). A symbol without `files`
 * uses `<SYMBOL>.csv|.tsv|.csv.gz|.tsv.gz`, its interval inferred from the smallest spacing between its first rows.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { MAX_DATA_BYTES, MAX_TEXT_BYTES, checkInputFile, readInputText } from '../../core/input-file.ts';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import { UserError, formatZodError } from '../../core/errors.ts';
import { INTERVAL_MS, IntervalSchema, type Interval } from '../../core/intervals.ts';
import { UniverseFileSchema } from '../../core/universe.ts';
import { Universe, availableIntervals, displayPath, type NativeSource, type SymbolInfo, type UniverseOptions } from './catalogue.ts';
import { findSeries } from './load.ts';
import { parseBars } from './parse.ts';
import { anchoringFor } from './resample.ts';
import { isGzip, readHead } from './source.ts';

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
      ...(s.adjusted === true ? { adjusted: true } : {}),
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
    const splits = (s.splits ?? []).map((sp) => {
      const [a, b] = sp.ratio.split(':').map(Number) as [number, number];
      return { time: Date.parse(`${sp.date}T00:00:00Z`), ratio: sp.ratio, factor: a / b };
    });
    table.set(symbol, {
      symbol, sector: s.sector, market_type: s.market_type, anchoring: anchoringFor(s.market_type),
      intervals: availableIntervals(sources.map((x) => x.interval)), sources,
      ...(splits.length > 0 ? { splits } : {}),
      ...(s.source === undefined ? {} : { source: s.source }),
    });
  }
  if (table.size === 0) throw new UserError(`${jsonShown}: symbols: no symbols listed`);
  return new Universe(u.name ?? basename(root), 'directory', root, table, [], opts, u.survivorship, u.provenance);
}

/**
 * Infers a file's bar interval from the smallest spacing between bars among its first ~256 KB
 * (daily: 20–28 h, to tolerate local-midnight stamps across DST). Throws with a hint to declare it.
 */
export function inferInterval(path: string, display: string, symbol: string, where: string): Interval {
  checkInputFile(path, display, MAX_DATA_BYTES, 'CSV/TSV bar'); // a FIFO or a device is refused, never opened for reading
  let bytes: Buffer = readHead(path, 256 * 1024 + 1); // one byte past the chunk: a longer file is cut at a line end below
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
