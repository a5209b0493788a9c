/** `gauntlet data`: check | info | synth | import | download (each but check and info in its own file). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { SURVIVORSHIP_NOTE } from '../core/universe.ts';
import { INTERVAL_MS } from '../core/intervals.ts';
import { checkData, formatReport, universeTargets, type CheckTarget, type DataReport } from '../engine/data/check.ts';
import { formatTime } from '../engine/data/fields.ts';
import { plural } from '../engine/data/issues.ts';
import { confirmSplits, parseSplitRequest } from '../engine/data/split-repair.ts';
import { loadBundledUniverse, loadUniverseDir, type Universe } from '../engine/data/universe.ts';
import { parseCommandArgs } from './args.ts';
import type { Io } from './io.ts';

const HELP = `Usage: gauntlet data <command> [options]     (gauntlet data <command> --help for details)

Commands:
  check     validate data files (bundled, a universe, or given files); flag bad ticks, splits, gaps
  info      list a universe: symbols, sectors, intervals, date ranges, provenance
  synth     generate a seeded synthetic market (a universe directory)
  import    turn your CSV files (Yahoo, TradingView, …) into a universe directory
  download  fetch bars from Yahoo Finance or a crypto exchange (ccxt) into a universe directory
`;

const CHECK_HELP = `Usage: gauntlet data check [--universe DIR] [--json] [FILE...]
       gauntlet data check --universe DIR --repair --split SYMBOL@DATE [--split …]

Validates bar files strictly, as a load without --repair would, and runs the bad-tick check.
Without FILE: every file of the bundled data (or of --universe DIR), each with the options it is
loaded with (the bundled BTC files are declared unsorted and are sorted, not reported).
With FILE...: those files (CSV or TSV, optionally .gz; bundled, Yahoo or TradingView layout).

Errors (a strict load refuses the row; --repair drops it):
  empty or non-numeric field, non-positive price, negative volume, high < low, open or close
  outside [low, high], unparseable time, time out of order, duplicate time, wrong field count.
Warnings (kept by a strict load; dropped by --repair):
  suspected bad tick: a close more than 20% away from the previous close whose next close is back
  within 5% of it (spin-offs and genuine moves do not revert, so they are not flagged).
  likely unadjusted split: a one-bar move by a common split ratio (3:2, 2:1, 3:1 … 1:10 …) at the
  open and the close, with the share volume changing by about the same ratio (20-bar medians).
  A file without volume is flagged on the price alone, and says so.
  calendar gap: consecutive bars more than 7 calendar days apart (no exchange closes that long).
Column notes: columns ignored, a missing volume column, adjusted prices.
Every finding names the file, the line (header = line 1) and the problem; lists are capped at 20
per file with "… and N more" (--json has them all).

  --universe DIR   check the files of a universe directory (CSV files + universe.json)
  --json           print the report as one JSON object
  --repair --split SYMBOL@DATE
                   confirm a split the check found: universe.json records it and every load
                   back-adjusts the bars before it (prices ÷ ratio, volume × ratio); listed on stderr

Exit status: 0 the check ran and found no errors (warnings may have been printed);
             1 the check ran and found errors (bad rows, or a file that cannot be read/parsed);
             2 bad usage (unknown option, FILE not found, unreadable universe.json).
`;

const INFO_HELP = `Usage: gauntlet data info [--universe DIR] [--json]

Lists the bundled universe (or --universe DIR): symbol count, sectors, the intervals each symbol
can be loaded at (native, and coarser ones by resampling up the ladder 1m → 5m → 15m → 1h → 4h → 1d),
label conventions, and each data file's rows and date range. Reads every data file (through the cache).

  --universe DIR   a directory of CSV files + universe.json instead of the bundled data
  --json           print one JSON object (per-symbol detail included)

Exit status: 0 success, 2 bad usage or unreadable universe.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') { io.out(HELP); return 0; }
  switch (sub) {
    case 'check': return check(rest, io);
    case 'info': return info(rest, io);
    case 'synth': return (await import('./dataSynth.ts')).runSynth(rest, io);
    case 'import': return (await import('./data-import.ts')).runImport(rest, io);
    case 'download': return (await import('./data-download.ts')).runDownload(rest, io);
    default:
      throw new UserError(`gauntlet data: unknown command "${sub}"\n\n${HELP}`);
  }
}

function openUniverse(dir: string | undefined, io: Io): Universe {
  const opts = { env: io.env, cwd: io.cwd };
  return dir === undefined ? loadBundledUniverse(undefined, opts) : loadUniverseDir(dir, opts);
}

function check(argv: string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('data check', argv, {
    universe: { type: 'string' },
    repair: { type: 'boolean', default: false },
    split: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(CHECK_HELP); return 0; }
  if (values.universe !== undefined && positionals.length > 0) {
    throw new UserError('gauntlet data check: give either --universe DIR or FILE..., not both\nRun \'gauntlet data check --help\' for usage.');
  }
  const splits = (values.split ?? []).map(parseSplitRequest);
  if (values.repair !== (splits.length > 0)) {
    throw new UserError(`gauntlet data check: ${values.repair ? '--repair needs --split SYMBOL@DATE, the split you confirmed' : '--split needs --repair'}\nRun 'gauntlet data check --help' for usage.`);
  }
  if (values.repair && values.universe === undefined) {
    throw new UserError('gauntlet data check: --repair --split records the split in a universe.json: give --universe DIR');
  }
  let targets: CheckTarget[];
  let universe: Universe | undefined;
  if (positionals.length > 0) {
    targets = positionals.map((f) => {
      const path = resolve(io.cwd, f);
      if (!existsSync(path)) throw new UserError(`gauntlet data check: ${f}: file not found`);
      return { path, display: f };
    });
  } else {
    universe = openUniverse(values.universe, io);
    targets = universeTargets(universe);
  }
  let report = checkData(targets, { env: io.env });
  if (universe !== undefined && splits.length > 0) {
    const done = confirmSplits(universe, splits, report);
    for (const s of done) io.err(`back-adjusted: ${s.symbol} ${s.ratio} split on ${formatTime(s.time)}: prices before it ÷ ${s.factor}, volume × ${s.factor}, on every load (recorded in ${values.universe}/universe.json; the file is unchanged)\n`);
    report = checkData(universeTargets(openUniverse(values.universe, io)), { env: io.env });
  }
  io.out(values.json ? `${JSON.stringify(reportJson(report))}\n` : formatReport(report));
  return report.ok ? 0 : 1;
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

function reportJson(r: DataReport): unknown {
  return {
    ok: r.ok,
    totals: r.totals,
    files: r.files.map((f) => ({
      ...f,
      symbols: f.symbols.map((s) => ({ ...s, first: iso(s.first), last: iso(s.last) })),
    })),
  };
}

interface FileSummary { file: string; interval: string; label: string; reference: boolean; sorted: number; symbols: number; rows: number; first: number | null; last: number | null; errors: number; warnings: number }

function info(argv: string[], io: Io): number {
  const { values } = parseCommandArgs('data info', argv, {
    universe: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) { io.out(INFO_HELP); return 0; }
  const u = openUniverse(values.universe, io);
  const symbols = u.symbols().map((s) => u.info(s));

  // Ranges per file and per (file, symbol) from a strict load (bad rows excluded; nothing thrown).
  const ranges = new Map<string, { first: number; last: number; rows: number }>();
  const files: FileSummary[] = u.files().map((f) => {
    const lf = u.loadDataFile(f, false);
    let first = Infinity;
    let last = -Infinity;
    let valid = 0;
    for (const s of lf.series) {
      if (s.time.length === 0) continue;
      const a = s.time[0] as number;
      const b = s.time[s.time.length - 1] as number;
      first = Math.min(first, a);
      last = Math.max(last, b);
      valid += s.time.length;
      ranges.set(`${f.path}\0${lf.layout === 'ohlcv-long' ? s.symbol : ''}`, { first: a, last: b, rows: s.time.length });
    }
    return {
      file: f.display, interval: f.interval, label: f.label, reference: f.reference, sorted: lf.sorted,
      symbols: lf.series.length, rows: valid,
      first: Number.isFinite(first) ? first : null, last: Number.isFinite(last) ? last : null,
      errors: lf.errors.length, warnings: lf.warnings.length,
    };
  });
  const rangeOf = (path: string, sym: string) => ranges.get(`${path}\0${sym}`) ?? ranges.get(`${path}\0`);

  if (values.json) {
    io.out(`${JSON.stringify({
      name: u.name, kind: u.kind, dir: u.dir, survivorship: u.survivorship ?? null, provenance: u.provenance ?? null,
      symbolCount: symbols.length,
      sectors: Object.fromEntries(u.sectors()),
      symbols: symbols.map((s) => ({
        symbol: s.symbol, sector: s.sector, market_type: s.market_type, anchoring: s.anchoring, intervals: s.intervals,
        splits: (s.splits ?? []).map((x) => ({ date: formatTime(x.time), ratio: x.ratio })), source: s.source ?? null,
        native: s.sources.map((src) => {
          const r = rangeOf(src.path, src.fileSymbol);
          return { interval: src.interval, file: src.display, label: src.label, sorted_on_load: src.sort, rows: r?.rows ?? 0, first: iso(r?.first ?? null), last: iso(r?.last ?? null) };
        }),
      })),
      files: files.map((f) => ({ ...f, first: iso(f.first), last: iso(f.last) })),
    })}\n`);
    return 0;
  }

  const out: string[] = [];
  out.push(`Universe: ${u.name} (${u.kind === 'bundled' ? `bundled data in ${u.dir}` : u.dir}) — ${plural(symbols.length, 'symbol')}, ${plural(u.sectors().length, 'sector')}`);
  if (u.survivorship === 'biased') out.push(`Data: ${SURVIVORSHIP_NOTE}`);
  for (const [k, v] of Object.entries(u.provenance ?? {})) out.push(`Provenance: ${k}: ${String(v)}`);
  const confirmed = symbols.flatMap((s) => (s.splits ?? []).map((x) => `${s.symbol} ${x.ratio} on ${formatTime(x.time)}`));
  if (confirmed.length > 0) out.push(`Back-adjusted on load (confirmed splits): ${confirmed.join(', ')}`);
  out.push('');
  out.push('Sectors:');
  const sectors = u.sectors();
  const sw = Math.max(...sectors.map(([s]) => s.length));
  for (const [s, n] of sectors) out.push(`  ${s.padEnd(sw)}  ${String(n).padStart(4)}`);
  out.push('');
  out.push('Intervals (native in [brackets]; the rest by resampling up the ladder):');
  const groups = new Map<string, string[]>();
  for (const s of symbols) {
    const native = new Set(s.sources.map((x) => x.interval));
    const labels = s.sources.filter((x) => x.label === 'end').map((x) => `${x.interval} labelled by bar end`);
    const key = `${[...s.intervals].sort((a, b) => INTERVAL_MS[a] - INTERVAL_MS[b]).map((i) => (native.has(i) ? `[${i}]` : i)).join(' ')}${labels.length > 0 ? `  (${labels.join(', ')})` : ''}  ${s.market_type}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [s.symbol]); else g.push(s.symbol);
  }
  for (const [key, syms] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    const list = syms.length <= 6 ? syms.join(', ') : `${syms.slice(0, 5).join(', ')}, … ${syms.length - 5} more`;
    out.push(`  ${key}`);
    out.push(`      ${plural(syms.length, 'symbol')}: ${list}`);
  }
  out.push('');
  out.push('Files:');
  for (const f of files) {
    const span = f.first === null || f.last === null ? 'no valid rows' : `${formatTime(f.first)} .. ${formatTime(f.last)}`;
    const extra = [
      f.symbols > 1 ? plural(f.symbols, 'symbol') : '',
      f.label === 'end' ? 'bar-end labels' : '',
      f.sorted > 0 ? 'unsorted, sorted on load' : '',
      f.reference ? 'reference (resampling ground truth)' : '',
      f.errors > 0 ? `${plural(f.errors, 'bad row')} (see 'gauntlet data check')` : '',
      f.warnings > 0 ? plural(f.warnings, 'suspected bad tick') : '',
    ].filter((x) => x !== '').join('; ');
    out.push(`  ${f.file}`);
    out.push(`      ${f.interval}  ${plural(f.rows, 'row')}  ${span}${extra === '' ? '' : `  — ${extra}`}`);
  }
  io.out(`${out.join('\n')}\n`);
  return 0;
}
