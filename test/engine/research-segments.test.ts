import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import type { SeriesKey, SeriesRun } from '../../src/core/research/run.ts';
import { sliceBars, type Bars } from '../../src/engine/data/bars.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { runBacktest } from '../../src/engine/backtest/run.ts';
import { loadUniverseDir, type Universe } from '../../src/engine/data/universe.ts';
import { createEngine } from '../../src/engine/research/engine-adapter.ts';
import { loadedBars, scaleFrom, synthBars, TEST_SPEC, tempRoot, writeUniverse, YEAR_MS } from './research-fixtures.ts';

const root = tempRoot();
afterAll(() => rmSync(root, { recursive: true, force: true }));

const N = 250;
const V = Math.floor(0.8 * N); // 200
let plain: Universe;
let mutated: Universe;
let raw: Bars[];

beforeAll(() => {
  const m = synthBars(7, 3, N);
  raw = m.bars;
  plain = writeUniverse(join(root, 'plain'), raw, m.sectors);
  // The same market with every holdout bar moved by 30 %: nothing that reads visible bars only may notice.
  mutated = writeUniverse(join(root, 'mutated'), raw.map((b) => scaleFrom(b, V, 1.3)), m.sectors);
});

const key = (symbol: string): SeriesKey => ({ symbol, interval: '1d' });

function sameRun(a: SeriesRun, b: SeriesRun): void {
  expect(a.time).toEqual(b.time);
  expect(a.equity).toEqual(b.equity);
  expect(a.position).toEqual(b.position);
  expect(a.trades).toEqual(b.trades);
  expect(a.metrics).toEqual(b.metrics);
}

describe('segments', () => {
  it('visible is the first ⌊0.8·N⌋ bars, holdout the rest, full all of them', () => {
    const e = createEngine(plain);
    const sym = raw[0]!.symbol;
    const bars = loadedBars(plain, sym);
    expect(bars.time.length).toBe(N);
    const vis = e.backtest(TEST_SPEC, key(sym), 'visible');
    const hold = e.backtest(TEST_SPEC, key(sym), 'holdout');
    const full = e.backtest(TEST_SPEC, key(sym), 'full');
    expect(vis.time.length).toBe(V);
    expect(hold.time.length).toBe(N - V);
    expect(full.time.length).toBe(N);
    expect(vis.time).toEqual(bars.time.slice(0, V));
    expect(hold.time).toEqual(bars.time.slice(V));
    expect([vis.segment, hold.segment, full.segment]).toEqual(['visible', 'holdout', 'full']);
    expect(vis.sector).toBe('SEC1');
    // DESIGN §5: bars per year = (N − 1) / years of the run's own span.
    expect(vis.barsPerYear).toBeCloseTo((V - 1) / ((bars.time[V - 1]! - bars.time[0]!) / YEAR_MS), 9);
    expect(hold.equity[0]).toBe(1);
    expect(hold.position[0]).toBe(0);
  });

  it('a visible run equals compile().backtest on the visible slice, and a full run on all bars', () => {
    const e = createEngine(plain);
    for (const b of raw) {
      const bars = loadedBars(plain, b.symbol);
      const expected = compile(TEST_SPEC).backtest(sliceBars(bars, 0, V));
      const vis = e.backtest(TEST_SPEC, key(b.symbol), 'visible');
      expect(vis.equity).toEqual(expected.result.equity);
      expect(vis.metrics).toEqual(expected.metrics);
      expect(vis.trades.count).toBe(expected.result.trades.length);
      expect(Array.from(vis.trades.entryTime)).toEqual(expected.result.trades.map((t) => t.entryTime));
      expect(Array.from(vis.trades.ret)).toEqual(expected.result.trades.map((t) => t.return));
      const full = compile(TEST_SPEC).backtest(bars);
      expect(e.backtest(TEST_SPEC, key(b.symbol), 'full').equity).toEqual(full.result.equity);
    }
  });

  it('holdout bars are never read by visible runs, regimes, volatility, causality or the optimiser', async () => {
    const a = createEngine(plain);
    const b = createEngine(mutated);
    for (const s of raw) {
      sameRun(a.backtest(TEST_SPEC, key(s.symbol), 'visible'), b.backtest(TEST_SPEC, key(s.symbol), 'visible'));
      expect(a.regimes(key(s.symbol), 'visible')).toEqual(b.regimes(key(s.symbol), 'visible'));
      expect(a.universe().realizedVol(key(s.symbol))).toBe(b.universe().realizedVol(key(s.symbol)));
      expect(a.causality(TEST_SPEC, key(s.symbol), 5, 3)).toEqual(b.causality(TEST_SPEC, key(s.symbol), 5, 3));
      // The mutation is real: the holdout and full runs do see it.
      expect(a.backtest(TEST_SPEC, key(s.symbol), 'full').equity).not.toEqual(b.backtest(TEST_SPEC, key(s.symbol), 'full').equity);
    }
    const keys = raw.map((s) => key(s.symbol));
    const oa = await a.optimize(TEST_SPEC, keys, { method: 'grid', trials: 50, seed: 1, workers: 0 });
    const ob = await b.optimize(TEST_SPEC, keys, { method: 'grid', trials: 50, seed: 1, workers: 0 });
    expect(oa).toEqual(ob);
    const wa = await a.walkForward(TEST_SPEC, keys, { mode: 'rolling', folds: 2, trials: 6, seed: 1, workers: 0 });
    const wb = await b.walkForward(TEST_SPEC, keys, { mode: 'rolling', folds: 2, trials: 6, seed: 1, workers: 0 });
    expect(wa).toEqual(wb);
  });

  it('holdout signals are the full run\'s signals on those bars; execution starts flat at equity 1', () => {
    const e = createEngine(plain);
    for (const s of raw) {
      const bars = loadedBars(plain, s.symbol);
      const compiled = compile(TEST_SPEC);
      const fullSignals = compiled.backtest(bars).signals;
      const hold = sliceBars(bars, V, N);
      const expected = runBacktest(hold, fullSignals.slice(V), compiled.execution);
      const run = e.backtest(TEST_SPEC, key(s.symbol), 'holdout');
      expect(run.equity).toEqual(expected.equity);
      expect(run.position).toEqual(expected.position);
      expect(run.trades.count).toBe(expected.trades.length);
    }
  });

  it('runs own their columns (no shared buffers between calls)', () => {
    const e = createEngine(plain);
    const k = key(raw[0]!.symbol);
    const a = e.backtest(TEST_SPEC, k, 'visible');
    const before = a.equity.slice();
    e.backtest({ ...TEST_SPEC, params: { ...TEST_SPEC.params, fast: { ...TEST_SPEC.params.fast!, value: 8 } } }, k, 'visible');
    expect(a.equity).toEqual(before);
    a.equity[5] = -1;
    expect(e.backtest(TEST_SPEC, k, 'visible').equity[5]).not.toBe(-1);
  });

  it('compile reports complexity, warm-up and unused params; bad specs are UserErrors', () => {
    const e = createEngine(plain);
    const r = e.compile(TEST_SPEC);
    expect(r.complexity).toEqual({ indicators: 2, longConditions: 2, shortConditions: 1, optimizableParams: 2 });
    expect(r.warmup).toBe(compile(TEST_SPEC).warmup);
    expect(r.unusedParams).toEqual([]);
    expect(() => e.compile({ ...TEST_SPEC, params: { ...TEST_SPEC.params, fast: { value: 3, min: 2, max: 10, step: 2 } } })).toThrow(UserError);
  });

  it('a series too short to seal a holdout, an unknown symbol and a duplicate key are UserErrors', async () => {
    const dir = join(root, 'short');
    const m = synthBars(3, 1, 2);
    const u = writeUniverse(dir, m.bars, m.sectors);
    const e = createEngine(u);
    expect(() => e.backtest(TEST_SPEC, key(m.bars[0]!.symbol), 'visible')).toThrow(/before the market's holdout cut date; the symbol has too little visible history to test/);
    expect(() => createEngine(plain).backtest(TEST_SPEC, key('NOPE'), 'visible')).toThrow(UserError);
    const k = key(raw[0]!.symbol);
    await expect(createEngine(plain).optimize(TEST_SPEC, [k, k], { method: 'grid', trials: 3, seed: 1, workers: 0 })).rejects.toThrow(/listed twice/);
  });
});

describe('data repairs', () => {
  it('loads with repair by default and lists every repaired row in dataNotes(); strict loading refuses', () => {
    const dir = join(root, 'bad');
    const m = synthBars(5, 1, 40);
    writeUniverse(dir, m.bars, m.sectors);
    const sym = m.bars[0]!.symbol;
    const path = join(dir, `${sym}.csv`);
    const lines = readFileSync(path, 'utf8').split('\n');
    const f = lines[10]!.split(',');
    lines[10] = [f[0], f[1], '1.000000', '2.000000', f[4], f[5]].join(','); // high < low
    writeFileSync(path, lines.join('\n'));
    const u = loadUniverseDir(dir, { cacheDir: null });
    const e = createEngine(u);
    const run = e.backtest(TEST_SPEC, key(sym), 'full');
    expect(run.time.length).toBe(39);
    const notes = e.dataNotes();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^${sym}@1d repaired: .*:11: .*dropped`));
    expect(() => createEngine(loadUniverseDir(dir, { cacheDir: null }), { repair: false }).backtest(TEST_SPEC, key(sym), 'full')).toThrow(UserError);
  });
});
