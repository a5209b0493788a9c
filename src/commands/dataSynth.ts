/** `gauntlet data synth`: writes a seeded synthetic market (CSV per symbol + universe.json) to a directory. */
import { join, resolve } from 'node:path';
import { refuseInsideStore } from '../core/store/output-file.ts';
import { UserError } from '../core/errors.ts';
import { LADDER, type Interval } from '../core/intervals.ts';
import {
  generateMarket, inspectOutDir, sectorName, writeMarket, DEFAULT_START, MAX_SECTORS, MAX_SYMBOLS, MAX_TOTAL_BARS,
  type EdgeRequest,
} from '../engine/data/synth.ts';
import { barsPerDay, parseDate } from '../engine/data/synth-calendar.ts';
import type { Io } from './io.ts';
import { parseCommandArgs, requireNumber } from './args.ts';

const COMMAND = 'data synth';

export const SYNTH_HELP = `gauntlet data synth — write a seeded synthetic market (sectors, volatility regimes, sessions)

Usage: gauntlet data synth --out DIR [options]

Options:
  --out DIR         directory to write (created if missing)                      required
  --seed S          integer seed ≥ 0; the same options give the same bytes        default 1
  --symbols N       number of symbols (S01A, S01B … by sector), 1..${MAX_SYMBOLS}         default 20
  --sectors K       number of sectors SEC1..SECK, 1..${MAX_SECTORS} and ≤ --symbols         default 4
  --interval I      bar interval: ${LADDER.join(' ')}                           default 1d
  --days D          trading days (weekdays, no holidays)                          default 504
  --start DATE      first day, YYYY-MM-DD (a weekend rolls forward)               default ${DEFAULT_START}
  --edge E          none | mean_reversion:SECTOR:STRENGTH | trend:SECTOR:STRENGTH  default none
                    STRENGTH in [0, 1]; only the symbols of SECTOR carry the edge
  --force           overwrite a directory that already holds universe.json or CSVs
  --json            print one JSON object instead of the summary
  -h, --help        show this help

Intraday bars cover 13:30–20:00 UTC on weekdays (1h: 7 bars a day, 4h: 2, the last one shorter).
Prices have 6 decimals; volumes are integers. The model and the planted edges are described in
src/engine/data/synth-model.ts, and universe.json records the edge's exact parameters.
`;

function fail(msg: string): never {
  throw new UserError(`gauntlet ${COMMAND}: ${msg}`);
}

/** Parses `--edge` against a market with `sectors` sectors. */
export function parseEdgeArg(raw: string, sectors: number): EdgeRequest {
  const text = raw.trim();
  if (text === 'none') return { kind: 'none' };
  const parts = text.split(':');
  const names = Array.from({ length: sectors }, (_, k) => sectorName(k));
  const format = 'none, mean_reversion:SECTOR:STRENGTH or trend:SECTOR:STRENGTH';
  if (parts.length !== 3) fail(`--edge must be ${format}, got "${raw}"`);
  const [kind, sector, strengthText] = parts as [string, string, string];
  if (kind !== 'mean_reversion' && kind !== 'trend') fail(`--edge kind must be mean_reversion or trend, got "${kind}" (format: ${format})`);
  if (!names.includes(sector)) fail(`--edge sector "${sector}" is not in this market; sectors are ${names.join(', ')}`);
  const strength = Number(strengthText);
  if (strengthText.trim() === '' || !Number.isFinite(strength) || strength < 0 || strength > 1) {
    fail(`--edge strength must be a number in [0, 1], got "${strengthText}"`);
  }
  return { kind, sector, strength };
}

function describeEdge(edge: EdgeRequest, params: Record<string, number> | undefined): string {
  if (edge.kind === 'none') return 'no planted edge';
  const label = edge.kind === 'mean_reversion' ? 'mean reversion' : 'trend';
  const p = params ?? {};
  const detail = [
    p.variance_share !== undefined ? `variance share ${round(p.variance_share)}` : '',
    p.half_life_bars !== undefined ? `half-life ${p.half_life_bars} bar${p.half_life_bars === 1 ? '' : 's'}` : '',
    p.session_lag1_autocorr !== undefined ? `lag-1 autocorrelation ${round(p.session_lag1_autocorr)} within sessions` : '',
  ].filter((s) => s !== '').join(', ');
  return `${label} in ${edge.sector} at strength ${edge.strength} (${detail})`;
}

function describeClashes(files: string[]): string {
  const csvs = files.filter((f) => f !== 'universe.json');
  const list = csvs.slice(0, 3).join(', ') + (csvs.length > 3 ? ', …' : '');
  const csvText = csvs.length === 0 ? '' : `${csvs.length} CSV file${csvs.length === 1 ? '' : 's'} (${list})`;
  if (files.includes('universe.json')) return csvText === '' ? 'a universe.json' : `a universe.json and ${csvText}`;
  return csvText;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export async function runSynth(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(COMMAND, argv, {
    out: { type: 'string' },
    seed: { type: 'string' },
    symbols: { type: 'string' },
    sectors: { type: 'string' },
    interval: { type: 'string' },
    days: { type: 'string' },
    start: { type: 'string' },
    edge: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    io.out(SYNTH_HELP);
    return 0;
  }

  const seed = requireNumber(COMMAND, 'seed', values.seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 1;
  const symbols = requireNumber(COMMAND, 'symbols', values.symbols, { integer: true, min: 1, max: MAX_SYMBOLS }) ?? 20;
  const sectors = requireNumber(COMMAND, 'sectors', values.sectors, { integer: true, min: 1, max: MAX_SECTORS }) ?? 4;
  if (sectors > symbols) fail(`--sectors (${sectors}) must not exceed --symbols (${symbols}): every sector needs a symbol`);
  const intervalText = values.interval ?? '1d';
  if (!(LADDER as readonly string[]).includes(intervalText)) fail(`--interval must be one of ${LADDER.join(', ')}, got "${intervalText}"`);
  const interval = intervalText as Interval;
  const days = requireNumber(COMMAND, 'days', values.days, { integer: true, min: 1, max: 100_000 }) ?? 504;
  const total = symbols * days * barsPerDay(interval);
  if (total > MAX_TOTAL_BARS) {
    fail(`--symbols × --days × bars per day (${symbols} × ${days} × ${barsPerDay(interval)} at ${interval}) = ${total} bars, more than the ${MAX_TOTAL_BARS} limit`);
  }
  const start = values.start ?? DEFAULT_START;
  if (parseDate(start) === null) fail(`--start must be a date YYYY-MM-DD, got "${start}"`);
  const edge = parseEdgeArg(values.edge ?? 'none', sectors);
  if (values.out === undefined || values.out.trim() === '') fail('--out DIR is required (the directory to write the market to)');
  const dir = resolve(io.cwd, values.out);
  const force = values.force === true;
  refuseInsideStore(join(dir, 'universe.json'), `gauntlet data synth: --out ${values.out}`);

  const state = await inspectOutDir(dir);
  if (state.exists && !state.isDirectory) fail(`--out ${values.out} exists and is not a directory`);
  if (state.clashes.length > 0 && !force) fail(`--out ${values.out} already holds ${describeClashes(state.clashes)}; pass --force to replace them`);

  const market = generateMarket({ seed, symbols, sectors, interval, days, edge, start });
  const files = await writeMarket(dir, market, { force });

  const first = market.bars[0]!;
  const n = first.time.length;
  const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  const firstDay = dateOf(first.time[0]!);
  const lastDay = dateOf(first.time[n - 1]!);
  const u = market.universe;
  const params = u.edge !== null && u.edge.kind !== 'none' ? u.edge.params : undefined;
  const names = Object.keys(u.symbols);
  if (values.json === true) {
    io.out(`${JSON.stringify({
      dir, seed, symbols, sectors, interval, days, start: firstDay, end: lastDay,
      bars_per_day: barsPerDay(interval), bars_per_symbol: n,
      edge: u.edge, files,
    })}\n`);
    return 0;
  }
  const span = (a: string, b: string): string => (a === b ? a : `${a}…${b}`);
  io.out(`Wrote a synthetic market to ${dir}: ${symbols} symbol${symbols === 1 ? '' : 's'} (${span(names[0]!, names[names.length - 1]!)}) `
    + `in ${sectors} sector${sectors === 1 ? '' : 's'} (${span(sectorName(0), sectorName(sectors - 1))}), ${days} trading day${days === 1 ? '' : 's'} `
    + `of ${interval} bars from ${firstDay} to ${lastDay}, ${n} bars per symbol, seed ${seed}. `
    + `Edge: ${describeEdge(edge, params)}. Files: universe.json and ${files.length - 1} CSV${files.length - 1 === 1 ? '' : 's'}.\n`);
  return 0;
}
