/**
 * `data import`: files a researcher brings (Yahoo downloads, TradingView exports, any layout columns.ts
 * reads) → a universe directory: the files copied byte for byte under their symbol's name, plus a
 * universe.json with sector, market, interval and source per symbol.
 *
 * Every file is loaded strictly, as `--universe` would load it; any bad row, unreadable file, duplicate
 * symbol, interval conflict or unknown symbol in the sector file stops the import with every problem
 * listed, and nothing is written. The directory is staged and renamed into place (atomic-dir.ts), and
 * the staged universe is loaded once more before it is committed.
 */
import { basename, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { INTERVAL_MS, type Interval } from '../../core/intervals.ts';
import type { MarketType, UniverseEntry, UniverseFile } from '../../core/universe.ts';
import { refuseOccupied, stageDir } from './atomic-dir.ts';
import { BUNDLED, bundledDataDir, readSectorMap } from './bundled.ts';
import { describeColumns } from './columns.ts';
import { loadUniverseDir } from './directory.ts';
import { formatTime } from './fields.ts';
import { describeInference, formatGap, inferFromTimes } from './infer-interval.ts';
import { formatIssues, plural, type RowIssue } from './issues.ts';
import { loadFile, type LoadedFile } from './load.ts';
import { expandInputs, hasAdjClose, readSectorFile, symbolFromFileName, type Input } from './import-inputs.ts';
import { readRaw } from './source.ts';

const SYMBOL_RE = /^[A-Za-z0-9._^-]+$/;

export interface ImportOptions {
  /** Files or directories, as the user gave them (relative to cwd). */
  readonly inputs: readonly string[];
  readonly out: string;
  readonly cwd: string;
  readonly sectors?: string | undefined;
  readonly market: MarketType;
  readonly interval?: Interval | undefined;
  readonly adjusted: boolean;
  readonly force: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Time written into universe.json's provenance (tests pin it). */
  readonly now?: Date;
}

export interface ImportedSeries {
  readonly symbol: string;
  readonly from: string;
  readonly file: string;
  readonly interval: Interval;
  /** How the interval was decided, in words. */
  readonly intervalNote: string;
  readonly rows: number;
  readonly first: number;
  readonly last: number;
  readonly sector: string;
  readonly sectorFrom: 'sector file' | 'bundled sector map' | 'unknown';
  readonly adjusted: boolean;
  /** Column notes (ignored columns, no volume, adjusted). */
  readonly notes: string[];
  readonly warnings: RowIssue[];
}

export interface ImportResult {
  readonly dir: string;
  readonly series: ImportedSeries[];
  readonly universe: UniverseFile;
}

interface Found { symbol: string; input: Input; file: LoadedFile; series: LoadedFile['series'][number]; adjusted: boolean; interval: Interval; intervalNote: string }

/** Loads, validates and places every file; writes nothing. Throws one UserError listing every problem. */
function plan(opts: ImportOptions, inputs: Input[]): Found[] {
  const problems: string[] = [];
  const badRows: RowIssue[] = [];
  const found: Found[] = [];
  for (const input of inputs) {
    let file: LoadedFile;
    let adjusted = false;
    try {
      adjusted = opts.adjusted && hasAdjClose(input);
      file = loadFile(input.path, { display: input.display, symbol: symbolFromFileName(input.path), adjusted, ...(opts.env === undefined ? {} : { env: opts.env }) });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(e.message);
      continue;
    }
    if (file.errors.length > 0) { badRows.push(...file.errors); continue; }
    if (file.rows === 0) { problems.push(`${input.display}: no data rows (only a header)`); continue; }
    for (const series of file.series) {
      const symbol = series.symbol;
      if (!SYMBOL_RE.test(symbol)) {
        problems.push(`${input.display}: the symbol "${symbol}" (from the ${file.layout === 'ohlcv-long' ? 'Name column' : 'file name'}) may only hold letters, digits and . _ ^ -; rename the file to <SYMBOL>.csv`);
        continue;
      }
      const inf = inferFromTimes(series.time);
      let interval: Interval;
      let intervalNote: string;
      if (opts.interval !== undefined) {
        if (inf.ok && inf.interval !== opts.interval) {
          problems.push(`${input.display}: conflicting intervals: --interval ${opts.interval}, but ${symbol} is ${describeInference(inf)}; import it separately, or drop --interval`);
          continue;
        }
        if (!inf.ok && inf.problem.startsWith('bars are')) {
          let min = Infinity;
          for (let i = 1; i < series.time.length; i++) min = Math.min(min, (series.time[i] as number) - (series.time[i - 1] as number));
          if (min < INTERVAL_MS[opts.interval]) {
            problems.push(`${input.display}: conflicting intervals: --interval ${opts.interval}, but ${symbol} has bars ${formatGap(min)} apart`);
            continue;
          }
        }
        interval = opts.interval;
        intervalNote = `${interval}, as --interval says${inf.ok ? ' (the bar spacing agrees)' : ''}`;
      } else if (inf.ok) {
        interval = inf.interval;
        intervalNote = describeInference(inf);
      } else {
        problems.push(`${input.display}: cannot infer the bar interval of ${symbol}: ${inf.problem}; pass --interval I`);
        continue;
      }
      found.push({ symbol, input, file, series, adjusted, interval, intervalNote });
    }
  }
  // The same symbol at the same interval from two files: which one is meant is not ours to guess.
  const seen = new Map<string, Found>();
  for (const f of found) {
    const key = `${f.symbol}\0${f.interval}`;
    const prev = seen.get(key);
    if (prev === undefined) { seen.set(key, f); continue; }
    problems.push(`duplicate symbol ${f.symbol} at ${f.interval}: in ${prev.input.display} and in ${f.input.display}; import one of them, or rename a file`);
  }
  if (badRows.length > 0) {
    const files = new Set(badRows.map((r) => r.file)).size;
    problems.push(`${plural(badRows.length, 'bad row')} in ${plural(files, 'file')} (a strict load refuses them):\n${formatIssues(badRows, 20, '    ')}\n  Fix these rows; 'gauntlet data check FILE' lists them all.`);
  }
  if (problems.length > 0) throw new UserError(`gauntlet data import: nothing was written:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return found;
}

/** Imports `inputs` into the universe directory `out` (see the module comment). */
export function importData(opts: ImportOptions): ImportResult {
  const inputs = expandInputs(opts.inputs, opts.cwd);
  if (inputs.length === 0) throw new UserError('gauntlet data import: give the files or directories to import, e.g. gauntlet data import ~/Downloads/*.csv --out my-market');
  const outAbs = resolve(opts.cwd, opts.out);
  // Refuse an occupied --out before reading any data (stageDir checks again when it starts).
  refuseOccupied(outAbs, opts.out, opts.force);
  const found = plan(opts, inputs);
  const symbols = new Set(found.map((f) => f.symbol));

  const fromFile = opts.sectors === undefined ? new Map<string, { sector: string; line: number }>() : readSectorFile(resolve(opts.cwd, opts.sectors), opts.sectors);
  const unknown = [...fromFile].filter(([s]) => !symbols.has(s));
  if (unknown.length > 0) {
    const list = unknown.slice(0, 10).map(([s, v]) => `${s} (line ${v.line})`).join(', ') + (unknown.length > 10 ? `, … ${unknown.length - 10} more` : '');
    throw new UserError(`gauntlet data import: nothing was written:\n  ${opts.sectors}: names ${plural(unknown.length, 'symbol')} that ${unknown.length === 1 ? 'is' : 'are'} not imported: ${list}; remove ${unknown.length === 1 ? 'it' : 'them'}, or import ${unknown.length === 1 ? 'its' : 'their'} data`);
  }
  const bundled = readSectorMap(resolve(bundledDataDir(), BUNDLED.sectors));

  // Output names: <SYMBOL><ext>, or <SYMBOL>_<interval><ext> when a symbol comes at several intervals.
  const intervalsOf = new Map<string, number>();
  for (const f of found) intervalsOf.set(f.symbol, (intervalsOf.get(f.symbol) ?? 0) + 1);
  const nameOf = new Map<string, string>(); // input path → output name
  const taken = new Set<string>(['universe.json']);
  for (const f of found) {
    if (nameOf.has(f.input.path)) continue;
    const ext = /\.(csv|tsv)(\.gz)?$/i.exec(f.input.path)?.[0].toLowerCase() ?? '.csv';
    const long = f.file.layout === 'ohlcv-long';
    let stem = long ? basename(f.input.path).slice(0, -ext.length).replace(/[^A-Za-z0-9._^-]/g, '_')
      : (intervalsOf.get(f.symbol) ?? 0) > 1 ? `${f.symbol}_${f.interval}` : f.symbol;
    while (taken.has(`${stem}${ext}`.toLowerCase())) stem = `${stem}_`;
    taken.add(`${stem}${ext}`.toLowerCase());
    nameOf.set(f.input.path, `${stem}${ext}`);
  }

  const series: ImportedSeries[] = [];
  const entries: Record<string, UniverseEntry> = {};
  for (const f of found) {
    const own = fromFile.get(f.symbol)?.sector;
    const known = bundled.get(f.symbol);
    const sector = own ?? (opts.market === 'equities' ? known : undefined) ?? 'Unknown';
    const sectorFrom = own !== undefined ? 'sector file' : sector !== 'Unknown' ? 'bundled sector map' : 'unknown';
    const file = nameOf.get(f.input.path) as string;
    const prev = entries[f.symbol];
    entries[f.symbol] = {
      sector, market_type: opts.market, label: 'start',
      files: { ...(prev?.files ?? {}), [f.interval]: file },
      ...(f.adjusted ? { adjusted: true } : {}),
      source: prev?.source === undefined ? f.input.display : `${prev.source}; ${f.input.display}`,
    };
    const t = f.series.time;
    series.push({
      symbol: f.symbol, from: f.input.display, file, interval: f.interval, intervalNote: f.intervalNote,
      rows: t.length, first: t[0] as number, last: t[t.length - 1] as number, sector, sectorFrom, adjusted: f.adjusted,
      notes: describeColumns(f.file.columns), warnings: f.file.warnings.filter((w) => w.symbol === f.series.symbol),
    });
  }
  const universe: UniverseFile = {
    schema: 'gauntlet/universe@1', name: basename(outAbs),
    symbols: Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))),
    edge: null,
    provenance: { made_by: 'gauntlet data import', imported_at: (opts.now ?? new Date()).toISOString(), files: nameOf.size },
  };

  const staged = stageDir(outAbs, opts.out, opts.force);
  try {
    for (const [path, name] of nameOf) staged.write(name, readRaw(path, path));
    staged.write('universe.json', `${JSON.stringify(universe, null, 2)}\n`);
    // The staged universe must load exactly as the user will load it, before it becomes visible.
    const u = loadUniverseDir(staged.path, { ...(opts.env === undefined ? {} : { env: opts.env }), cwd: opts.cwd });
    for (const s of series) u.loadBars(s.symbol, s.interval);
    staged.commit();
  } catch (e) {
    staged.abort();
    throw e;
  }
  series.sort((a, b) => a.symbol.localeCompare(b.symbol) || INTERVAL_MS[a.interval] - INTERVAL_MS[b.interval]);
  return { dir: outAbs, series, universe };
}

/** The import summary: one line per series, the interval and sector decisions stated, then what to run. */
export function formatImport(r: ImportResult, outShown: string): string {
  const out: string[] = [];
  for (const s of r.series) {
    out.push(`${s.symbol} ${s.interval}  ${plural(s.rows, 'bar')}  ${formatTime(s.first)} .. ${formatTime(s.last)}  ← ${s.from}`);
    out.push(`    interval: ${s.intervalNote}`);
    out.push(`    sector: ${s.sector} (${s.sectorFrom === 'unknown' ? 'not in a sector file or the bundled sector map; pass --sectors FILE to set it' : `from the ${s.sectorFrom}`})`);
    for (const n of s.notes) out.push(`    ${n}`);
    for (const w of s.warnings.slice(0, 5)) out.push(`    ${w.file}:${w.line}: warning: ${w.message}`);
    if (s.warnings.length > 5) out.push(`    … and ${s.warnings.length - 5} more suspected bad ticks ('gauntlet data check --universe ${outShown}')`);
  }
  const syms = new Set(r.series.map((s) => s.symbol)).size;
  const unknown = r.series.filter((s) => s.sectorFrom === 'unknown').length;
  out.push('');
  out.push(`Wrote ${outShown}: ${plural(syms, 'symbol')}, ${plural(r.series.length, 'series', 'series')}, universe.json${unknown > 0 ? ` (${plural(unknown, 'series', 'series')} in sector Unknown)` : ''}.`);
  out.push(`Research on it: gauntlet research "IDEA" --universe ${outShown}`);
  return `${out.join('\n')}\n`;
}
