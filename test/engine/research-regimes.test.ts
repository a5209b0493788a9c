import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SeriesKey } from '../../src/core/research/run.ts';
import { loadUniverseDir } from '../../src/engine/data/universe.ts';
import { createEngine } from '../../src/engine/research/engine-adapter.ts';
import { loadedBars, scaleFrom, synthBars, tempRoot, writeUniverse } from './research-fixtures.ts';

const root = tempRoot();
afterAll(() => rmSync(root, { recursive: true, force: true }));
const key = (symbol: string): SeriesKey => ({ symbol, interval: '1d' });

/** The labels recomputed the plain way: arrays of numbers, a sorted copy, explicit sums. */
function expectedLabels(close: ArrayLike<number>, visible: number): { vol: number[]; trend: number[] } {
  const n = close.length;
  const vol: (number | null)[] = [];
  for (let t = 0; t < n; t++) {
    if (t < 20) { vol.push(null); continue; }
    const r: number[] = [];
    for (let i = t - 19; i <= t; i++) r.push(Math.log(close[i]! / close[i - 1]!));
    const m = r.reduce((a, b) => a + b, 0) / 20;
    vol.push(Math.sqrt(r.reduce((a, b) => a + (b - m) ** 2, 0) / 19));
  }
  const sorted = vol.slice(0, visible).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const q = (p: number): number => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
  };
  const [q1, q2] = [q(1 / 3), q(2 / 3)];
  const len = Math.max(2, Math.min(200, Math.floor(visible / 4)));
  const trend: number[] = [];
  for (let t = 0; t < n; t++) {
    if (t < len - 1) { trend.push(0); continue; }
    let s = 0;
    for (let i = t - len + 1; i <= t; i++) s += close[i]!;
    trend.push(close[t]! > s / len ? 1 : -1);
  }
  return { vol: vol.map((v) => (v === null ? -1 : v <= q1 ? 0 : v <= q2 ? 1 : 2)), trend };
}

describe('regimes', () => {
  it('labels every bar of each segment like a plain reimplementation (long series: SMA 200)', () => {
    const N = 1100;
    const V = Math.floor(0.8 * N);
    const m = synthBars(11, 2, N);
    const u = writeUniverse(join(root, 'long'), m.bars, m.sectors);
    const e = createEngine(u);
    for (const b of m.bars) {
      const close = loadedBars(u, b.symbol).close;
      const want = expectedLabels(close, V);
      const full = e.regimes(key(b.symbol), 'full');
      expect(Array.from(full.volatility)).toEqual(want.vol);
      expect(Array.from(full.trend)).toEqual(want.trend);
      const vis = e.regimes(key(b.symbol), 'visible');
      expect(Array.from(vis.volatility)).toEqual(want.vol.slice(0, V));
      expect(Array.from(vis.trend)).toEqual(want.trend.slice(0, V));
      const hold = e.regimes(key(b.symbol), 'holdout');
      expect(Array.from(hold.volatility)).toEqual(want.vol.slice(V));
      expect(Array.from(hold.trend)).toEqual(want.trend.slice(V));
      // Warm-up: 20 returns for volatility, 200 closes for the trend SMA.
      expect(full.volatility[19]).toBe(-1);
      expect(full.volatility[20]).not.toBe(-1);
      expect(full.trend[198]).toBe(0);
      expect(full.trend[199]).not.toBe(0);
      // Terciles of the visible part: each label holds about a third of the defined visible bars.
      const counts = [0, 1, 2].map((l) => vis.volatility.filter((x) => x === l).length);
      for (const c of counts) expect(Math.abs(c - (V - 20) / 3)).toBeLessThanOrEqual(2);
    }
  });

  it('short series shorten the trend SMA to a quarter of the visible bars; holdout prices never move the cut points', () => {
    const N = 150;
    const V = Math.floor(0.8 * N);
    const m = synthBars(12, 1, N);
    const a = createEngine(writeUniverse(join(root, 'short-a'), m.bars, m.sectors));
    const ub = writeUniverse(join(root, 'short-b'), m.bars.map((b) => scaleFrom(b, V, 2)), m.sectors);
    const b = createEngine(ub);
    const sym = m.bars[0]!.symbol;
    const want = expectedLabels(loadedBars(ub, sym).close, V);
    const labels = b.regimes(key(sym), 'full');
    expect(Array.from(labels.trend)).toEqual(want.trend);
    expect(Array.from(labels.volatility)).toEqual(want.vol);
    expect(labels.trend[V / 4 - 2]).toBe(0);
    expect(labels.trend[V / 4 - 1]).not.toBe(0);
    expect(a.regimes(key(sym), 'visible')).toEqual(b.regimes(key(sym), 'visible'));
  });
});

describe('universe view', () => {
  it('realizedVol is the annualised std of visible log returns, by hand on a toy', () => {
    // 12 daily bars on consecutive calendar days alternating 100 / 110: visible = ⌊9.6⌋ = 9 bars,
    // 8 log returns ±ln 1.1 with mean 0, so std (ddof 1) = ln 1.1 · √(8/7); the 8 returns span 8 days,
    // so bars per year = 8 / (8 / 365.25) = 365.25. The holdout (bars 9–11) is wild and must not count.
    const dir = join(root, 'toy');
    mkdirSync(dir, { recursive: true });
    const closes = [100, 110, 100, 110, 100, 110, 100, 110, 100, 500, 50, 700];
    const rows = closes.map((c, i) => `2021-03-${String(i + 1).padStart(2, '0')},${c},${c},${c},${c},1000`);
    writeFileSync(join(dir, 'TOY.csv'), `time,open,high,low,close,volume\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'universe.json'), JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { TOY: { sector: 'Toys', market_type: 'crypto', files: { '1d': 'TOY.csv' } } } }));
    const e = createEngine(loadUniverseDir(dir, { cacheDir: null }));
    const expected = Math.log(1.1) * Math.sqrt(8 / 7) * Math.sqrt(365.25);
    expect(e.universe().realizedVol(key('TOY'))).toBeCloseTo(expected, 12);
    expect(e.universe().symbols()).toEqual([{ symbol: 'TOY', sector: 'Toys', market_type: 'crypto', intervals: ['1d'] }]);
  });

  it('lists every symbol with sector, market type and intervals', () => {
    const m = synthBars(13, 3, 30);
    const u = writeUniverse(join(root, 'three'), m.bars, m.sectors);
    const syms = createEngine(u).universe().symbols();
    expect(syms.map((s) => s.symbol)).toEqual(m.bars.map((b) => b.symbol).sort());
    for (const s of syms) {
      expect(s.sector).toBe(m.sectors[m.bars.findIndex((b) => b.symbol === s.symbol)]);
      expect(s.market_type).toBe('equities');
      expect(s.intervals).toEqual(['1d']);
    }
  });
});
