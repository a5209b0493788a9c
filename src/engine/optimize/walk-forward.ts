import { UserError } from '../../core/errors.ts';
import type { WalkForwardFold, WalkForwardOptions, WalkForwardResult } from '../../core/research/ports.ts';
import type { SeriesKey } from '../../core/research/run.ts';
import type { Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import { compile } from '../compiler/compile.ts';
import { runWindow, type WindowRun } from '../research/window-run.ts';
import { bestIndex, requireSeries } from './optimize.ts';
import { gridTrials, withParams } from './param-space.ts';
import { annualisedReturn, type SeriesWindow } from './pooled-returns.ts';
import { stitchRuns } from './stitch.ts';
import { TrialEvaluator } from './trial-eval.ts';
import { TrialRunner } from './trial-runner.ts';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** One series of a walk-forward: its VISIBLE bars only. */
export interface WalkSeries {
  key: SeriesKey;
  sector: string;
  bars: Bars;
}

export interface WalkForwardRun extends WalkForwardResult {
  /** Mean over folds of the best trial's annualised pooled return on its train window. */
  inSampleAnnualReturn: number;
  /** Annualised pooled return of the stitched out-of-sample pieces. */
  outOfSampleAnnualReturn: number;
  /** Per-bar Sharpe of every trial of every fold: all of them count toward the ledger's N (stats.md §7). */
  trialSharpes: number[];
}

/** The union of the series' bar times, ascending and unique: the clock the blocks are cut on. */
export function unionTimes(series: readonly Bars[]): Float64Array {
  const all = new Float64Array(series.reduce((s, b) => s + b.time.length, 0));
  let p = 0;
  for (const b of series) { all.set(b.time, p); p += b.time.length; }
  all.sort();
  let m = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i]!;
  return all.slice(0, m);
}

/** Block j of `blocks` covers union-grid rows [bounds[j], bounds[j + 1]): ⌊j·G / blocks⌋. */
export function blockBounds(rows: number, blocks: number): number[] {
  return Array.from({ length: blocks + 1 }, (_, j) => Math.floor((j * rows) / blocks));
}

function lowerBound(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** A series' bars whose times fall in grid rows [g0, g1). */
export function windowOf(bars: Bars, grid: Float64Array, g0: number, g1: number): SeriesWindow {
  return {
    from: lowerBound(bars.time, grid[g0]!),
    to: g1 >= grid.length ? bars.time.length : lowerBound(bars.time, grid[g1]!),
  };
}

/** Pardo's walk-forward efficiency: OOS ÷ IS annualised return; 0 when IS ≤ 0 (no in-sample edge, nothing to keep). */
export function walkForwardEfficiency(inSampleAnnual: number, outOfSampleAnnual: number): number {
  return inSampleAnnual > 0 ? outOfSampleAnnual / inSampleAnnual : 0;
}

/**
 * Walk-forward analysis (stats.md §7) on the VISIBLE bars only. The union of the series' bar times is
 * cut into folds + 1 contiguous blocks of equal bar count. Fold f (1 … folds) optimises on its train
 * window — rolling: block f − 1 alone (a fixed length); anchored: blocks 0 … f − 1 — with the same
 * candidate list every fold (a seeded grid sample, gridTrials) and the same objective as `optimize`,
 * then runs the best params on block f. Every window computes signals from the series' first visible
 * bar (warm-up on the past only) and trades inside the window only, starting flat at equity 1.
 * The test pieces are stitched per series with equity chained across folds.
 *
 * Efficiency = annualised OOS return of the pooled stitched pieces ÷ the mean annualised IS return of
 * the folds' winners (each annualised over its own span: windows differ in length). When that IS
 * return is ≤ 0 the ratio is meaningless (undefined or sign-flipped), and efficiency is 0.
 * Fold Sharpes are annualised; train/test bounds are the first and last bar times (inclusive) of the
 * window on the union clock.
 */
export async function walkForward(spec: Spec, series: readonly WalkSeries[], opts: WalkForwardOptions): Promise<WalkForwardRun> {
  const what = `walk-forward ${spec.name}`;
  const bars = series.map((s) => s.bars);
  requireSeries(bars, what);
  if (opts.mode !== 'rolling' && opts.mode !== 'anchored') throw new UserError(`${what}: mode must be "rolling" or "anchored", got "${String(opts.mode)}"`);
  if (!Number.isSafeInteger(opts.folds) || opts.folds < 1) throw new UserError(`${what}: folds must be a positive integer, got ${opts.folds}`);
  const grid = unionTimes(bars);
  const blocks = opts.folds + 1;
  if (Math.floor(grid.length / blocks) < 2) throw new UserError(`${what}: ${grid.length} visible bars are too few for ${opts.folds} folds (${blocks} blocks of at least 2 bars)`);
  const bounds = blockBounds(grid.length, blocks);
  const candidates = gridTrials(spec, opts.trials, opts.seed);

  const runner = new TrialRunner(spec, bars, { workers: opts.workers });
  const local = new TrialEvaluator(spec, bars);
  const folds: WalkForwardFold[] = [];
  const pieces: WindowRun[][] = series.map(() => []);
  const trialSharpes: number[] = [];
  const oosReturns: Float64Array[] = [];
  let inSampleSum = 0;
  try {
    for (let f = 1; f <= opts.folds; f++) {
      const first = opts.mode === 'rolling' ? f - 1 : 0;
      const train = bars.map((b) => windowOf(b, grid, bounds[first]!, bounds[f]!));
      const test = bars.map((b) => windowOf(b, grid, bounds[f]!, bounds[f + 1]!));
      const outcomes = await runner.run(candidates.map((params) => ({ params, windows: train })));
      for (const o of outcomes) trialSharpes.push(o.sharpe);
      const bi = bestIndex(outcomes);
      const best = candidates[bi]!;
      const is = outcomes[bi]!;
      inSampleSum += annualisedReturn(is.returns, local.layout(train).years);
      const oos = local.evaluate(best, test);
      oosReturns.push(oos.returns);
      const compiled = compile(withParams(spec, best));
      bars.forEach((b, k) => {
        const w = test[k]!;
        if (w.to > w.from) pieces[k]!.push(runWindow(compiled, b, w.from, w.to));
      });
      folds.push({
        trainFrom: grid[bounds[first]!]!, trainTo: grid[bounds[f]! - 1]!,
        testFrom: grid[bounds[f]!]!, testTo: grid[bounds[f + 1]! - 1]!,
        params: { ...best },
        inSampleSharpe: is.annualSharpe,
        outOfSampleSharpe: oos.annualSharpe,
      });
    }
  } finally {
    await runner.close();
  }
  const stitched = series.map((s, k) => stitchRuns(s.key, s.sector, pieces[k]!));
  const oosAll = new Float64Array(oosReturns.reduce((s, r) => s + r.length, 0));
  let p = 0;
  for (const r of oosReturns) { oosAll.set(r, p); p += r.length; }
  const oosYears = (grid[grid.length - 1]! - grid[bounds[1]!]!) / YEAR_MS;
  const outOfSampleAnnualReturn = annualisedReturn(oosAll, oosYears);
  const inSampleAnnualReturn = inSampleSum / opts.folds;
  return {
    mode: opts.mode, folds, stitched,
    efficiency: walkForwardEfficiency(inSampleAnnualReturn, outOfSampleAnnualReturn),
    inSampleAnnualReturn, outOfSampleAnnualReturn, trialSharpes,
  };
}
