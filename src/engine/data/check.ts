/**
 * `checkData`: strict validation + spike check of data files, as a structured report
 * (used by `gauntlet data check`). Nothing is repaired; file-level problems (unreadable file,
 * unknown header) are reported per file instead of aborting the whole check.
 */
import { UserError } from '../../core/errors.ts';
import { describeColumns, type ColumnNotes } from './columns.ts';
import type { LayoutName } from './formats.ts';
import { formatTime } from './fields.ts';
import { formatIssues, plural, type RowIssue } from './issues.ts';
import { findGaps, type CalendarGap } from './gaps.ts';
import { loadFile } from './load.ts';
import { VOL_WINDOW, findSplits, type SplitSuspect } from './splits.ts';
import type { SpikeOptions, TimeKind } from './parse.ts';
import type { Universe } from './universe.ts';
import { formatNumber } from '../../core/format/numbers.ts';

export interface CheckTarget {
  readonly path: string;
  readonly display?: string;
  /** Declared-unsorted source (bundled BTC files); user files: false. */
  readonly sort?: boolean;
  /** Symbol of a one-symbol file (default: file name). */
  readonly symbol?: string;
  /** A ground-truth file rather than a symbol source. */
  readonly reference?: boolean;
  /** Loaded with Adj Close (universe.json `adjusted`). */
  readonly adjusted?: boolean;
  /** Confirmed splits by symbol (universe.json `splits`): reported as back-adjusted, not as warnings. */
  readonly confirmed?: Readonly<Record<string, readonly number[]>>;
}

export interface SymbolReport {
  readonly symbol: string;
  /** Valid rows (bad rows and duplicates excluded). */
  readonly rows: number;
  readonly first: number | null;
  readonly last: number | null;
  readonly errors: number;
  readonly warnings: number;
}

export interface FileReport {
  readonly file: string;
  readonly reference: boolean;
  /** A file-level problem: nothing else could be checked. */
  readonly fatal?: string;
  readonly layout?: LayoutName;
  /** Columns ignored, a missing volume, adjusted prices. */
  readonly columns?: ColumnNotes;
  readonly timeKind?: TimeKind;
  readonly rows: number;
  /** Rows put in time order because the source is declared unsorted. */
  readonly sorted: number;
  readonly errors: RowIssue[];
  readonly warnings: RowIssue[];
  /** Likely unadjusted splits (splits.ts); `confirmed` ones are back-adjusted on load. */
  readonly splits: (SplitSuspect & { confirmed: boolean })[];
  /** Gaps of more than a week between bars (gaps.ts). */
  readonly gaps: CalendarGap[];
  readonly symbols: SymbolReport[];
}

export interface DataReport {
  readonly files: FileReport[];
  readonly totals: { files: number; symbols: number; rows: number; errors: number; warnings: number; splits: number; gaps: number; fatal: number };
  /** No errors and no fatal file problems (warnings allowed). */
  readonly ok: boolean;
}

export interface CheckOptions {
  readonly cacheDir?: string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly spike?: SpikeOptions | false;
}

/** Validates every target strictly and runs the spike check; never throws for bad data. */
export function checkData(targets: readonly CheckTarget[], opts: CheckOptions = {}): DataReport {
  const files: FileReport[] = targets.map((t) => {
    const display = t.display ?? t.path;
    try {
      const f = loadFile(t.path, {
        display, sort: t.sort === true, repair: false, ...(t.adjusted === true ? { adjusted: true } : {}),
        ...(t.symbol === undefined ? {} : { symbol: t.symbol }),
        ...(opts.spike === undefined ? {} : { spike: opts.spike }),
        ...(opts.cacheDir === undefined ? {} : { cacheDir: opts.cacheDir }),
        ...(opts.env === undefined ? {} : { env: opts.env }),
      });
      const count = (list: RowIssue[]): Map<string, number> => {
        const m = new Map<string, number>();
        for (const i of list) m.set(i.symbol, (m.get(i.symbol) ?? 0) + 1);
        return m;
      };
      const errs = count(f.errors);
      const warns = count(f.warnings);
      const symbols: SymbolReport[] = f.series.map((s) => ({
        symbol: s.symbol, rows: s.time.length,
        first: s.time.length > 0 ? (s.time[0] as number) : null,
        last: s.time.length > 0 ? (s.time[s.time.length - 1] as number) : null,
        errors: errs.get(s.symbol) ?? 0, warnings: warns.get(s.symbol) ?? 0,
      }));
      const splits = f.series.flatMap((s) => findSplits(s).map((x) => ({ ...x, confirmed: (t.confirmed?.[s.symbol] ?? []).includes(x.time) })));
      return {
        file: display, reference: t.reference === true, layout: f.layout, columns: f.columns, timeKind: f.timeKind,
        rows: f.rows, sorted: f.sorted, errors: f.errors, warnings: f.warnings, splits, gaps: f.series.flatMap((s) => findGaps(s.symbol, s.time)), symbols,
      };
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      return { file: display, reference: t.reference === true, fatal: e.message, rows: 0, sorted: 0, errors: [], warnings: [], splits: [], gaps: [], symbols: [] };
    }
  });
  const totals = {
    files: files.length,
    symbols: files.reduce((a, f) => a + (f.reference ? 0 : f.symbols.length), 0),
    rows: files.reduce((a, f) => a + f.rows, 0),
    errors: files.reduce((a, f) => a + f.errors.length, 0),
    warnings: files.reduce((a, f) => a + f.warnings.length, 0),
    splits: files.reduce((a, f) => a + f.splits.filter((s) => !s.confirmed).length, 0),
    gaps: files.reduce((a, f) => a + f.gaps.length, 0),
    fatal: files.filter((f) => f.fatal !== undefined).length,
  };
  return { files, totals, ok: totals.errors === 0 && totals.fatal === 0 };
}

/** The check targets of a universe: each distinct file once, with the options it is loaded with. */
export function universeTargets(u: Universe): CheckTarget[] {
  return u.files().map((f) => {
    const confirmed = Object.fromEntries(f.symbols.map((s) => [s, (u.info(s).splits ?? []).map((x) => x.time)]));
    return {
      path: f.path, display: f.display, sort: f.sort, symbol: f.fileSymbol, reference: f.reference, confirmed,
      ...(f.adjusted === true ? { adjusted: true } : {}),
    };
  });
}

/** Human-readable report: one summary line per file, then its errors and warnings (each list capped). */
export function formatReport(r: DataReport, cap = 20): string {
  const out: string[] = [];
  for (const f of r.files) {
    const ref = f.reference ? ' [reference]' : '';
    if (f.fatal !== undefined) {
      out.push(`✗ ${f.file}${ref}: cannot be checked`);
      out.push(...f.fatal.split('\n').map((l) => `  ${l}`));
      continue;
    }
    const first = Math.min(...f.symbols.map((s) => s.first ?? Infinity));
    const last = Math.max(...f.symbols.map((s) => s.last ?? -Infinity));
    const span = Number.isFinite(first) ? `${formatTime(first)} .. ${formatTime(last)}` : 'no valid rows';
    const syms = f.symbols.length === 1 ? '' : `, ${plural(f.symbols.length, 'symbol')}`;
    const sorted = f.sorted > 0 ? `, ${plural(f.sorted, 'row')} sorted (declared unsorted)` : '';
    const open = f.splits.filter((s) => !s.confirmed);
    const mark = f.errors.length > 0 ? '✗' : f.warnings.length > 0 || open.length > 0 || f.gaps.length > 0 ? '!' : '✓';
    out.push(`${mark} ${f.file}${ref}: ${f.layout}, ${plural(f.rows, 'row')}${syms}, ${span}${sorted} — ${plural(f.errors.length, 'error')}, ${plural(f.warnings.length, 'warning')}`);
    if (f.columns !== undefined) for (const note of describeColumns(f.columns)) out.push(`  ${note}`);
    for (const s of f.splits.slice(0, cap)) out.push(`  ${f.file}: ${describeSplit(s)}`);
    for (const g of f.gaps.slice(0, cap)) out.push(`  ${f.file}: warning: ${g.symbol}: no bars for ${formatNumber(g.days, 'duration')} days, ${formatTime(g.from)} .. ${formatTime(g.to)} (a gap in the calendar: missing data)`);
    if (f.gaps.length > cap) out.push(`  … and ${f.gaps.length - cap} more gaps`);
    if (f.errors.length > 0) out.push(formatIssues(f.errors, cap));
    if (f.warnings.length > 0) out.push(formatIssues(f.warnings, cap));
  }
  const t = r.totals;
  out.push('');
  out.push(`${plural(t.files, 'file')}, ${plural(t.symbols, 'series', 'series')}, ${plural(t.rows, 'row')}: ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}${t.splits > 0 ? `, ${plural(t.splits, 'likely unadjusted split')}` : ''}${t.gaps > 0 ? `, ${plural(t.gaps, 'calendar gap')}` : ''}${t.fatal > 0 ? `, ${plural(t.fatal, 'unreadable file')}` : ''}.`);
  if (t.errors > 0) out.push('Errors are rows a strict load refuses; load with --repair to drop them (each dropped row is listed).');
  if (t.warnings > 0) out.push('Warnings (suspected bad ticks) are kept by a strict load and dropped by --repair.');
  if (t.splits > 0) out.push(`${plural(t.splits, 'likely unadjusted split')}: check the date against the company's actions; once confirmed, 'gauntlet data check --universe DIR --repair --split SYMBOL@DATE' back-adjusts it on every load.`);
  return `${out.join('\n')}\n`;
}

/** One split finding in words. */
export function describeSplit(s: SplitSuspect & { confirmed: boolean }): string {
  const day = formatTime(s.time);
  const vol = s.volumeRatio === null ? 'no volume column to confirm it' : `median volume ×${formatNumber(s.volumeRatio, 'ratio')} (${VOL_WINDOW} bars after vs before)`;
  const head = s.confirmed ? `${s.symbol} ${day}: ${s.ratio} split, confirmed: back-adjusted on load` : `warning: ${s.symbol} ${day}: likely unadjusted ${s.ratio} ${s.factor < 1 ? 'reverse split' : 'split'} (or another corporate action, such as a spin-off)`;
  return `${head}: close ${s.prevClose} → open ${s.open}, close ${s.close}; ${vol}`;
}
