/** `gauntlet data import`: the files a researcher brings → a universe directory (engine/data/import.ts). */
import { UserError } from '../core/errors.ts';
import { IntervalSchema, isInterval, type Interval } from '../core/intervals.ts';
import { MarketTypeSchema, type MarketType } from '../core/universe.ts';
import { formatImport, importData } from '../engine/data/import.ts';
import { parseCommandArgs } from './args.ts';
import type { Io } from './io.ts';

export const IMPORT_HELP = `Usage: gauntlet data import FILE...|DIR... --out DIR [options]

Turns CSV/TSV files (Yahoo Finance downloads, TradingView exports, or any file with date/time, open,
high, low, close and optionally volume columns) into a universe directory for --universe DIR: the files
are copied under their symbol's name, beside a universe.json.

  --out DIR          the universe directory to write (must be empty or absent; see --force)
  --sectors FILE     CSV with columns symbol,sector; symbols not in it take the bundled sector map
                     (S&P 500 names), else "Unknown" (said for each one)
  --market M         equities (default), crypto, futures or forex: sets costs and resampling sessions
  --interval I       the bar interval (${IntervalSchema.options.join(', ')}); default: inferred from each file's
                     bar spacing, and the inference is stated
  --adjusted         use Yahoo's Adj Close: open, high, low and close × Adj Close / Close (files without
                     an Adj Close column keep their prices, said)
  --force            replace a non-empty --out
  --json             print one JSON object instead of the summary

The symbol is the file name (AAPL.csv → AAPL; TradingView's "NASDAQ_AAPL, 1D.csv" → AAPL), or the
Name column of a long file. Columns are matched by name: extra columns (indicator plots) are ignored
and listed; a file without volume gets NaN volume, and volume indicators are refused on it.
Every file is validated as a load would: a bad row, an unreadable file, the same symbol and interval
in two files, an --interval the bars contradict, or a sector file naming symbols not imported stops
the import with every problem listed; the output directory then does not appear at all.

Exit status: 0 imported, 2 bad usage or bad input (nothing written).
`;

export function runImport(argv: string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('data import', argv, {
    out: { type: 'string' },
    sectors: { type: 'string' },
    market: { type: 'string' },
    interval: { type: 'string' },
    adjusted: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(IMPORT_HELP); return 0; }
  const fail = (msg: string): never => { throw new UserError(`gauntlet data import: ${msg}\nRun 'gauntlet data import --help' for usage.`); };
  if (positionals.length === 0) fail('give the files or directories to import');
  if (values.out === undefined || values.out.trim() === '') fail('--out DIR is required (the universe directory to write)');
  const market = values.market ?? 'equities';
  if (!MarketTypeSchema.safeParse(market).success) fail(`--market must be one of ${MarketTypeSchema.options.join(', ')}, got "${market}"`);
  if (values.interval !== undefined && !isInterval(values.interval)) fail(`--interval must be one of ${IntervalSchema.options.join(', ')}, got "${values.interval}"`);
  const r = importData({
    inputs: positionals, out: values.out as string, cwd: io.cwd, env: io.env,
    sectors: values.sectors, market: market as MarketType,
    interval: values.interval as Interval | undefined,
    adjusted: values.adjusted, force: values.force,
  });
  if (values.json) {
    io.out(`${JSON.stringify({ dir: r.dir, series: r.series.map((s) => ({ ...s, first: new Date(s.first).toISOString(), last: new Date(s.last).toISOString() })) })}\n`);
  } else {
    io.out(formatImport(r, values.out as string));
  }
  return 0;
}
