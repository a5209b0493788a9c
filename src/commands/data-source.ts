import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { Interval } from '../core/intervals.ts';
import { sliceBars, type Bars } from '../engine/data/bars.ts';
import { issueLine, type RowIssue } from '../engine/data/issues.ts';
import { defaultSymbol, loadBarsFromFile } from '../engine/data/load.ts';
import { resample } from '../engine/data/resample.ts';
import { inferInterval, loadBundledUniverse, loadUniverseDir, type Universe } from '../engine/data/universe.ts';
import type { Io } from './io.ts';

export interface SeriesRequest {
  io: Io;
  /** A CSV/TSV file, or … */
  data?: string | undefined;
  /** … a symbol of the bundled data or of `universe`. */
  symbol?: string | undefined;
  universe?: string | undefined;
  interval?: Interval | undefined;
  from?: number | undefined;
  to?: number | undefined;
  repair: boolean;
}

/** The bundled universe, or the one in `dir` (`--universe DIR`). */
export function openUniverse(io: Io, dir: string | undefined): Universe {
  const opts = { env: io.env, cwd: io.cwd };
  if (dir === undefined) return loadBundledUniverse(undefined, opts);
  const abs = resolve(io.cwd, dir);
  if (!existsSync(abs)) throw new UserError(`--universe ${dir}: no such directory`);
  return loadUniverseDir(abs, opts);
}

/** Repairs are never silent: each dropped or moved row goes to stderr. */
function reportRepairs(io: Io, repairs: readonly RowIssue[], warnings: readonly RowIssue[]): void {
  if (repairs.length > 0) io.err(`--repair changed ${repairs.length} row(s):\n${repairs.map((r) => `  ${issueLine(r)}`).join('\n')}\n`);
  for (const w of warnings) io.err(`${issueLine(w)}\n`);
}

function clip(bars: Bars, from: number | undefined, to: number | undefined): Bars {
  const t = bars.time;
  let a = 0;
  let b = t.length;
  if (from !== undefined) while (a < b && t[a]! < from) a++;
  if (to !== undefined) while (b > a && t[b - 1]! > to) b--;
  return a === 0 && b === t.length ? bars : sliceBars(bars, a, b);
}

/**
 * Loads the one series a command runs on: a file (`--data`, interval inferred; a coarser
 * `--interval` is resampled on the UTC clock) or a universe symbol (`--symbol`).
 */
export async function loadSeries(req: SeriesRequest): Promise<Bars> {
  if (req.data !== undefined) {
    const path = resolve(req.io.cwd, req.data);
    if (!existsSync(path)) throw new UserError(`--data ${req.data}: no such file`);
    const native = inferInterval(path, req.data, defaultSymbol(path), `--data ${req.data}`);
    const loaded = loadBarsFromFile(path, native, { display: req.data, repair: req.repair, env: req.io.env });
    reportRepairs(req.io, loaded.repairs, loaded.warnings);
    const bars = req.interval === undefined || req.interval === native ? loaded.bars : resample(loaded.bars, req.interval, { label: 'start', anchoring: 'clock' });
    return clip(bars, req.from, req.to);
  }
  const universe = openUniverse(req.io, req.universe);
  const symbol = req.symbol!;
  const interval = req.interval ?? defaultInterval(universe, symbol);
  const loaded = universe.loadBars(symbol, interval, { from: req.from, to: req.to, repair: req.repair });
  reportRepairs(req.io, loaded.repairs, loaded.warnings);
  return loaded.bars;
}

/** Daily when the symbol has native daily bars (what most users backtest first), else its finest native interval. */
export function defaultInterval(universe: Universe, symbol: string): Interval {
  const native = universe.info(symbol).sources.map((s) => s.interval);
  return native.includes('1d') ? '1d' : universe.info(symbol).intervals[0]!;
}
