import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import type { SeriesKey } from '../../src/core/research/run.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { sharpeRatio } from '../../src/core/stats/sharpe.ts';
import { sliceBars, type Bars } from '../../src/engine/data/bars.ts';
import type { Universe } from '../../src/engine/data/universe.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { createEngine } from '../../src/engine/research/engine-adapter.ts';
import { optimize } from '../../src/engine/optimize/optimize.ts';
import { TrialPool } from '../../src/engine/optimize/worker-pool.ts';
import { freeCores, TrialRunner } from '../../src/engine/optimize/trial-runner.ts';
import { gridTrials } from '../../src/engine/optimize/param-space.ts';
import { poolLayout, shareLayout } from '../../src/engine/optimize/pooled-returns.ts';
import { dropBars, loadedBars, specAt, synthBars, TEST_SPEC, tempRoot, writeUniverse, YEAR_MS } from './research-fixtures.ts';

const root = tempRoot();
afterAll(() => rmSync(root, { recursive: true, force: true }));
const key = (symbol: string): SeriesKey => ({ symbol, interval: '1d' });

let u: Universe;
let symbols: string[];
let visible: (b: Bars) => Bars;

beforeAll(() => {
  // Three series that do not share a calendar: B starts 30 bars late and misses every 17th bar.
  const m = synthBars(17, 3, 300);
  const bars = m.bars.map((b, k) => (k === 1 ? dropBars(b, (i) => i < 30 || i % 17 === 5) : b));
  u = writeUniverse(join(root, 'u'), bars, m.sectors);
  symbols = bars.map((b) => b.symbol);
  visible = visibleOf(symbols.map((s) => loadedBars(u, s)));
});

interface HandPool { time: number[]; ret: number[]; sharpe: number; annual: number; trades: number; avgTrade: number }

/**
 * Each series backtested on its own with compile().backtest, pooled by hand: on the union of the bar
 * times, the sum of the returns realised at each time over the number of series (a series without a
 * bar there holds cash), the first union time having no return.
 */
function handPool(spec: Spec, series: Bars[]): HandPool {
  const byTime = new Map<number, number>();
  let trades = 0;
  let sumTrade = 0;
  for (const b of series) {
    const r = compile(spec).backtest(b).result;
    byTime.set(b.time[0]!, byTime.get(b.time[0]!) ?? 0);
    for (let i = 1; i < b.time.length; i++) byTime.set(b.time[i]!, (byTime.get(b.time[i]!) ?? 0) + r.equity[i]! / r.equity[i - 1]! - 1);
    for (const t of r.trades) { trades++; sumTrade += t.return; }
  }
  const clock = [...byTime.keys()].sort((a, b) => a - b);
  const time = clock.slice(1);
  const ret = time.map((t) => byTime.get(t)! / series.length);
  const sharpe = sharpeRatio(ret);
  const years = (clock[clock.length - 1]! - clock[0]!) / YEAR_MS;
  return { time, ret, sharpe, annual: sharpe * Math.sqrt(time.length / years), trades, avgTrade: trades > 0 ? sumTrade / trades : 0 };
}

/**
 * The visible part as the engine defines it, written out here: every series is cut at one date, the bar
 * time at ⌊0.8·U⌋ of the U distinct times of the market's series (docs/gates.md, confirmation).
 */
function visibleOf(all: readonly Bars[]): (b: Bars) => Bars {
  const times = [...new Set(all.flatMap((b) => Array.from(b.time)))].sort((x, y) => x - y);
  const cut = times[Math.floor(0.8 * times.length)]!;
  return (b: Bars) => sliceBars(b, 0, Array.from(b.time).filter((t) => t < cut).length);
}

describe('pooled objective', () => {
  it('every trial\'s pooled Sharpe, trade stats and returns column equal a hand pooling of separate backtests (missing bars in cash)', async () => {
    const e = createEngine(u);
    const r = await e.optimize(TEST_SPEC, symbols.map(key), { method: 'grid', trials: 100, seed: 1, workers: 0 });
    const series = symbols.map((s) => visible(loadedBars(u, s)));
    expect(r.method).toBe('grid');
    expect(r.trials).toHaveLength(15);
    const rows = r.returns.bars;
    expect(r.returns.trials).toBe(15);
    expect(r.returns.values.length).toBe(rows * 15);
    r.trials.forEach((t, j) => {
      const hand = handPool(specAt(TEST_SPEC, t.params), series);
      expect(rows).toBe(hand.time.length);
      expect(t.sharpe).toBeCloseTo(hand.sharpe, 12);
      expect(t.metrics.sharpe).toBeCloseTo(hand.annual, 10);
      expect(t.metrics.trades).toBe(hand.trades);
      expect(t.metrics.avg_trade_return).toBeCloseTo(hand.avgTrade, 14);
      const column = Array.from(r.returns.values.subarray(j * rows, (j + 1) * rows));
      column.forEach((x, i) => expect(x).toBeCloseTo(hand.ret[i]!, 15));
    });
    // The objective is the per-bar Sharpe: best = the first trial with the highest one.
    const top = Math.max(...r.trials.map((t) => t.sharpe));
    expect(r.best).toEqual(r.trials.find((t) => t.sharpe === top)!.params);
    expect(Array.from((r as typeof r & { returns: { time: Float64Array } }).returns.time)).toEqual(handPool(TEST_SPEC, series).time);
  });

  it('with one series the pooled Sharpe is that series\' own per-bar Sharpe (DESIGN §5)', async () => {
    const e = createEngine(u);
    const k = key(symbols[0]!);
    const r = await e.optimize(TEST_SPEC, [k], { method: 'random', trials: 4, seed: 9, workers: 0 });
    expect(r.method).toBe('random');
    for (const t of r.trials) {
      const run = e.backtest(specAt(TEST_SPEC, t.params), k, 'visible');
      expect(t.metrics.sharpe).toBeCloseTo(run.metrics.sharpe, 10);
      expect(t.sharpe).toBeCloseTo(run.metrics.sharpe / Math.sqrt(run.barsPerYear), 12);
      expect(t.metrics.trades).toBe(run.metrics.trades);
    }
  });
});

describe('worker threads', () => {
  it('1 and 2 workers give identical trials and returns, equal to the inline run', async () => {
    const series = symbols.map((s) => visible(loadedBars(u, s)));
    const opts = { method: 'random' as const, trials: 12, seed: 5 };
    const one = await optimize(TEST_SPEC, series, { ...opts, workers: 1 });
    const two = await optimize(TEST_SPEC, series, { ...opts, workers: 2 });
    const inline = await optimize(TEST_SPEC, series, { ...opts, workers: 0 });
    expect(two).toEqual(one);
    expect(inline).toEqual(one);
  });

  it('the layout a pool shares with its workers is poolLayout\'s, in shared memory', () => {
    const series = symbols.map((s) => visible(loadedBars(u, s)));
    const windows = series.map((b) => ({ from: 5, to: b.time.length - 3 }));
    const own = poolLayout(series, windows);
    const shared = shareLayout(own);
    expect(shared.time.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.rows.every((r) => r.buffer instanceof SharedArrayBuffer)).toBe(true);
    expect([...shared.time]).toEqual([...own.time]);
    expect(shared.rows.map((r) => [...r])).toEqual(own.rows.map((r) => [...r]));
    expect([shared.live, shared.years, shared.barsPerYear]).toEqual([own.live, own.years, own.barsPerYear]);
  });

  it('automatic mode runs short jobs inline and hands the rest of long ones to threads, with the same numbers', async () => {
    const series = symbols.map((s) => visible(loadedBars(u, s)));
    const windows = series.map((b) => ({ from: 0, to: b.time.length }));
    const tasks = gridTrials(TEST_SPEC, 15, 1).map((params) => ({ params, windows }));
    const reference = await optimize(TEST_SPEC, series, { method: 'grid', trials: 15, seed: 1, workers: 0 });
    const quiet = (): number => 0;
    const roomy = new TrialRunner(TEST_SPEC, series, { inlineBudgetMs: 60_000, loadAverage: quiet });
    const tight = new TrialRunner(TEST_SPEC, series, { inlineBudgetMs: 0, loadAverage: quiet });
    // Other processes keep 2 cores' worth of run queue besides this thread: no core is free for threads.
    const busy = new TrialRunner(TEST_SPEC, series, { inlineBudgetMs: 0, loadAverage: () => availableParallelism() + 1 });
    try {
      const a = await roomy.run(tasks);
      const b = await tight.run(tasks);
      const c = await busy.run(tasks);
      expect(roomy.threads).toBe(0);
      expect(tight.threads).toBe(Math.min(15, availableParallelism()) > 1 ? Math.min(15, availableParallelism()) : 0);
      expect(busy.threads).toBe(0);
      for (const outcomes of [a, b, c]) expect(outcomes.map((o) => o.sharpe)).toEqual(reference.trials.map((t) => t.sharpe));
      expect(b.map((o) => Array.from(o.returns))).toEqual(a.map((o) => Array.from(o.returns)));
    } finally {
      await Promise.all([roomy.close(), tight.close(), busy.close()]);
    }
  });

  it('free cores: all of them on an idle machine, less the run queue of everything but this thread', () => {
    expect(freeCores(2, 1)).toBe(2);
    expect(freeCores(2, 0.2)).toBe(2);
    expect(freeCores(2, 1.5)).toBe(1.5);
    expect(freeCores(4, 3)).toBe(2);
    expect(freeCores(2, 8)).toBe(-5);
  });

  it('start under plain node with tsx registered (bin/gauntlet.js) and under the tsx CLI', () => {
    const probe = fileURLToPath(new URL('./optimize-probe.mjs', import.meta.url));
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const viaNode = execFileSync(process.execPath, [probe], { cwd, encoding: 'utf8', timeout: 60_000 });
    const viaTsx = execFileSync(process.execPath, [join(cwd, 'node_modules/tsx/dist/cli.mjs'), probe], { cwd, encoding: 'utf8', timeout: 60_000 });
    const trials = JSON.parse(viaNode) as { params: Record<string, number> }[];
    expect(trials).toHaveLength(6);
    expect(JSON.parse(viaTsx)).toEqual(trials);
  });

  it('a worker that dies mid-job rejects with a clear error instead of hanging', async () => {
    const series = [visible(loadedBars(u, symbols[0]!))];
    const windows = [{ from: 0, to: series[0]!.time.length }];
    const pool = new TrialPool(TEST_SPEC, series, { workers: 2, entry: new URL('./optimize-crash-worker.mjs', import.meta.url) });
    const tasks = gridTrials(TEST_SPEC, 6, 1).map((params) => ({ params, windows }));
    await expect(pool.run(tasks)).rejects.toThrow(/optimizer worker \d of 2 exited unexpectedly \(exit code 3\)/);
    await expect(pool.run(tasks)).rejects.toThrow(/exited unexpectedly/);
    await pool.close();
  });

  it('a worker that cannot start rejects with its error', async () => {
    const series = [visible(loadedBars(u, symbols[0]!))];
    const windows = [{ from: 0, to: series[0]!.time.length }];
    const pool = new TrialPool(TEST_SPEC, series, { workers: 1, entry: new URL('./optimize-throw-worker.mjs', import.meta.url) });
    await expect(pool.run([{ params: { fast: 2, slow: 10, floor: 0 }, windows }])).rejects.toThrow(/optimizer worker 1 of 1 failed: cannot start: loader missing/);
    await pool.close();
  });

  it('a trial the compiler rejects surfaces as a UserError naming the params', async () => {
    const series = [visible(loadedBars(u, symbols[0]!))];
    const windows = [{ from: 0, to: series[0]!.time.length }];
    const pool = new TrialPool(TEST_SPEC, series, { workers: 1 });
    try {
      const err = await pool.run([{ params: { fast: 3, slow: 10, floor: 0 }, windows }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/fast.*not on its grid.*"fast":3/);
    } finally {
      await pool.close();
    }
  });

  it('bad worker counts are UserErrors', async () => {
    const series = [visible(loadedBars(u, symbols[0]!))];
    await expect(optimize(TEST_SPEC, series, { method: 'grid', trials: 3, seed: 1, workers: -1 })).rejects.toThrow(UserError);
    await expect(optimize(TEST_SPEC, series, { method: 'grid', trials: 3, seed: 1, workers: 1.5 })).rejects.toThrow(UserError);
  });
});
