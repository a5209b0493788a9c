import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import type { SeriesKey, SeriesRun } from '../../src/core/research/run.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { sharpeRatio } from '../../src/core/stats/sharpe.ts';
import { sliceBars, type Bars } from '../../src/engine/data/bars.ts';
import type { Universe } from '../../src/engine/data/universe.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { runBacktest } from '../../src/engine/backtest/run.ts';
import { createEngine } from '../../src/engine/research/engine-adapter.ts';
import { annualisedReturn } from '../../src/engine/optimize/pooled-returns.ts';
import { walkForward, walkForwardEfficiency, type WalkForwardRun } from '../../src/engine/optimize/walk-forward.ts';
import { dropBars, loadedBars, specAt, synthBars, TEST_SPEC, tempRoot, writeUniverse, YEAR_MS } from './research-fixtures.ts';

const root = tempRoot();
afterAll(() => rmSync(root, { recursive: true, force: true }));
const key = (symbol: string): SeriesKey => ({ symbol, interval: '1d' });

let u: Universe;
let symbols: string[];
let sectors: string[];
let visible: (b: Bars) => Bars;

beforeAll(() => {
  const m = synthBars(23, 2, 420);
  const bars = m.bars.map((b, k) => (k === 1 ? dropBars(b, (i) => i < 25 || i % 13 === 4) : b));
  u = writeUniverse(join(root, 'u'), bars, m.sectors);
  symbols = bars.map((b) => b.symbol);
  sectors = m.sectors;
  visible = visibleOf(symbols.map((s) => loadedBars(u, s)));
});

/**
 * The visible part as the engine defines it, written out here: every series is cut at one date, the bar
 * time at ⌊0.8·U⌋ of the U distinct times of the market's series (docs/gates.md, confirmation).
 */
function visibleOf(all: readonly Bars[]): (b: Bars) => Bars {
  const times = [...new Set(all.flatMap((b) => Array.from(b.time)))].sort((x, y) => x - y);
  const cut = times[Math.floor(0.8 * times.length)]!;
  return (b: Bars) => sliceBars(b, 0, Array.from(b.time).filter((t) => t < cut).length);
}

/** The grid of TEST_SPEC in the optimiser's order (params by name; the first varies slowest). */
const GRID = [2, 4, 6, 8, 10].flatMap((fast) => [10, 20, 30].map((slow) => ({ fast, floor: 0, slow })));

/** Signals from the series' first bar up to `to`, execution on [from, to): written out here, not through runWindow. */
function runOn(spec: Spec, b: Bars, from: number, to: number): Float64Array {
  const c = compile(spec);
  const signals = c.signals(sliceBars(b, 0, to)).slice(from, to);
  return runBacktest(sliceBars(b, from, to), signals, c.execution).equity.slice();
}

/** Hand pooling of several series' windows (times in [t0, t1]): on the union clock, returns summed over the live series count. */
function poolWindows(spec: Spec, series: Bars[], t0: number, t1: number): { ret: number[]; years: number; sharpe: number; annual: number } {
  const byTime = new Map<number, number>();
  let live = 0;
  for (const b of series) {
    const idx = Array.from(b.time.keys()).filter((i) => b.time[i]! >= t0 && b.time[i]! <= t1);
    if (idx.length === 0) continue;
    live++;
    const from = idx[0]!;
    const to = idx[idx.length - 1]! + 1;
    const eq = runOn(spec, b, from, to);
    byTime.set(b.time[from]!, byTime.get(b.time[from]!) ?? 0);
    for (let i = 1; i < eq.length; i++) {
      const t = b.time[from + i]!;
      byTime.set(t, (byTime.get(t) ?? 0) + eq[i]! / eq[i - 1]! - 1);
    }
  }
  const clock = [...byTime.keys()].sort((a, b) => a - b);
  const ret = clock.slice(1).map((t) => byTime.get(t)! / live);
  const years = (clock[clock.length - 1]! - clock[0]!) / YEAR_MS;
  const sharpe = sharpeRatio(ret);
  return { ret, years, sharpe, annual: sharpe * Math.sqrt(ret.length / years) };
}

function unionTimes(series: Bars[]): number[] {
  return [...new Set(series.flatMap((b) => Array.from(b.time)))].sort((a, b) => a - b);
}

function growth(ret: number[]): number {
  return ret.reduce((g, r) => g * (1 + r), 1);
}

describe('walk-forward', () => {
  it('cuts the visible clock into folds + 1 equal blocks: rolling trains on the previous block, anchored on all before', async () => {
    const e = createEngine(u);
    const k = key(symbols[0]!);
    const time = Array.from(visible(loadedBars(u, symbols[0]!)).time);
    const G = time.length;
    const b = (j: number): number => Math.floor((j * G) / 4);
    for (const mode of ['rolling', 'anchored'] as const) {
      const r = await e.walkForward(TEST_SPEC, [k], { mode, folds: 3, trials: 15, seed: 1, workers: 0 });
      expect(r.mode).toBe(mode);
      expect(r.folds.map((f) => [f.trainFrom, f.trainTo, f.testFrom, f.testTo])).toEqual([1, 2, 3].map((f) => [
        time[mode === 'rolling' ? b(f - 1) : 0], time[b(f) - 1], time[b(f)], time[b(f + 1) - 1],
      ]));
      // The test blocks tile the clock from block 1 on, and the stitched run covers exactly them.
      expect(Array.from(r.stitched[0]!.time)).toEqual(time.slice(b(1)));
    }
  });

  it('picks each fold\'s params by the pooled train Sharpe, stitches test pieces with equity chained, and reports efficiency = OOS ÷ IS', async () => {
    const e = createEngine(u);
    const series = symbols.map((s) => visible(loadedBars(u, s)));
    const r = (await e.walkForward(TEST_SPEC, symbols.map(key), { mode: 'anchored', folds: 3, trials: 15, seed: 4, workers: 0 })) as WalkForwardRun;
    const clock = unionTimes(series);
    const G = clock.length;
    const b = (j: number): number => Math.floor((j * G) / 4);
    let isSum = 0;
    const oos: number[] = [];
    r.folds.forEach((fold, j) => {
      const f = j + 1;
      const scores = GRID.map((p) => poolWindows(specAt(TEST_SPEC, p), series, clock[0]!, clock[b(f) - 1]!));
      const bi = scores.findIndex((s) => s.sharpe === Math.max(...scores.map((x) => x.sharpe)));
      expect(fold.params).toEqual(GRID[bi]);
      expect(fold.inSampleSharpe).toBeCloseTo(scores[bi]!.annual, 10);
      isSum += Math.pow(growth(scores[bi]!.ret), 1 / scores[bi]!.years) - 1;
      const test = poolWindows(specAt(TEST_SPEC, fold.params), series, clock[b(f)]!, clock[b(f + 1) - 1]!);
      expect(fold.outOfSampleSharpe).toBeCloseTo(test.annual, 10);
      oos.push(...test.ret);
    });
    const oosAnnual = Math.pow(growth(oos), 1 / ((clock[G - 1]! - clock[b(1)]!) / YEAR_MS)) - 1;
    const isAnnual = isSum / 3;
    expect(r.outOfSampleAnnualReturn).toBeCloseTo(oosAnnual, 12);
    expect(r.inSampleAnnualReturn).toBeCloseTo(isAnnual, 12);
    expect(r.efficiency).toBeCloseTo(isAnnual > 0 ? oosAnnual / isAnnual : 0, 10);
    expect(r.trialSharpes).toHaveLength(3 * 15);

    // Stitched runs: one per series; piece f is the fold's params run on that series' test window
    // (signals from its first bar), scaled by the equity the previous pieces ended with.
    r.stitched.forEach((run: SeriesRun, k) => {
      const s = series[k]!;
      expect(run.key).toEqual(key(symbols[k]!));
      expect(run.sector).toBe(sectors[k]);
      let off = 0;
      let carry = 1;
      r.folds.forEach((fold) => {
        const idx = Array.from(s.time.keys()).filter((i) => s.time[i]! >= fold.testFrom && s.time[i]! <= fold.testTo);
        const eq = runOn(specAt(TEST_SPEC, fold.params), s, idx[0]!, idx[idx.length - 1]! + 1);
        expect(run.time[off]).toBe(s.time[idx[0]!]);
        // Continuity: a piece opens flat at the equity the last one closed with.
        expect(run.equity[off]).toBe(carry);
        eq.forEach((x, i) => expect(run.equity[off + i]).toBeCloseTo(x * carry, 13));
        carry = run.equity[off + eq.length - 1]!;
        off += eq.length;
      });
      expect(off).toBe(run.time.length);
      expect(run.metrics.total_return).toBeCloseTo(carry - 1, 13);
    });
  });

  it('is the same with 1 and 2 worker threads', async () => {
    const series = symbols.map((s, k) => ({ key: key(s), sector: sectors[k]!, bars: visible(loadedBars(u, s)) }));
    const opts = { mode: 'rolling' as const, folds: 2, trials: 8, seed: 2 };
    const one = await walkForward(TEST_SPEC, series, { ...opts, workers: 1 });
    const two = await walkForward(TEST_SPEC, series, { ...opts, workers: 2 });
    expect(two).toEqual(one);
  });

  it('efficiency on a toy: 20 % IS, 12 % OOS → 0.6 (stats.md §7); no in-sample edge → 0', () => {
    expect(walkForwardEfficiency(0.2, 0.12)).toBeCloseTo(0.6, 15);
    expect(walkForwardEfficiency(0, 0.12)).toBe(0);
    expect(walkForwardEfficiency(-0.1, -0.2)).toBe(0);
    // +10 % then −5 % over two years: √1.045 − 1 a year.
    expect(annualisedReturn(new Float64Array([0.1, -0.05]), 2)).toBeCloseTo(Math.sqrt(1.045) - 1, 15);
    expect(annualisedReturn(new Float64Array([-1]), 1)).toBe(-1);
  });

  it('too many folds for the data, or folds < 1, is a UserError', async () => {
    const e = createEngine(u);
    await expect(e.walkForward(TEST_SPEC, [key(symbols[0]!)], { mode: 'rolling', folds: 200, trials: 3, seed: 1, workers: 0 })).rejects.toThrow(UserError);
    await expect(e.walkForward(TEST_SPEC, [key(symbols[0]!)], { mode: 'rolling', folds: 0, trials: 3, seed: 1, workers: 0 })).rejects.toThrow(/folds/);
  });
});
