/**
 * The integrity benchmark's noise and layout variants (src/engine/data):
 * - without the new options a synthetic market has the bytes it had before they existed (hashes
 *   computed with the generator of commit 3e4abd4);
 * - drift-only walks (`annualDrift`) drift as stated over a long sample, and differ from their
 *   default-drift twin (same seed, so every random draw is the same) by exactly the drift difference;
 * - named, unequal sectors (`sectorSizes`) and their errors;
 * - real bars permuted in time keep each symbol's first bar, dates and multiset of close-to-close
 *   returns (hand-made series, and real bundled symbols), with consistent OHLC, and survive a write
 *   and a load as a `--universe` directory with their own dates.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.ts';
import { sliceBars, type Bars } from '../../src/engine/data/bars.ts';
import { encodeCsv, generateMarket, writeMarket, type SynthOptions } from '../../src/engine/data/synth.ts';
import { permuteBars } from '../../src/engine/data/permute.ts';
import { permutedMarket } from '../../src/engine/data/permuted-market.ts';
import { loadBundledUniverse, loadUniverseDir } from '../../src/engine/data/universe.ts';

const sha = (m: ReturnType<typeof generateMarket>): string => {
  const h = createHash('sha256');
  for (const b of m.bars) h.update(encodeCsv(b));
  h.update(JSON.stringify(m.universe));
  return h.digest('hex');
};

/** Close-to-close log returns, sorted. */
const sortedReturns = (close: ArrayLike<number>): number[] => {
  const out: number[] = [];
  for (let t = 1; t < close.length; t++) out.push(Math.log(close[t]! / close[t - 1]!));
  return out.sort((a, b) => a - b);
};

const ohlcOk = (b: Bars): boolean => {
  for (let t = 0; t < b.time.length; t++) {
    if (!(b.high[t]! >= Math.max(b.open[t]!, b.close[t]!) && b.low[t]! <= Math.min(b.open[t]!, b.close[t]!) && b.low[t]! > 0)) return false;
  }
  return true;
};

describe('synthetic markets without the new options', () => {
  it('keep the bytes of the generator before sectorSizes and annualDrift existed', () => {
    expect(sha(generateMarket({ seed: 7, symbols: 6, sectors: 2, interval: '1h', days: 30, edge: { kind: 'mean_reversion', sector: 'SEC2', strength: 0.5 } })))
      .toBe('a61c3737b7e2dd336f3e173a8099937e6d58c31f215d752c9e5bf72f6ff6bbbc');
    expect(sha(generateMarket({ seed: 3, symbols: 4, sectors: 1, interval: '1d', days: 300, edge: { kind: 'none' } })))
      .toBe('50ee1b3c4cb5a3f8bd5f3b5ad1453d6524d87dc9fffc84d2886f55a6c2e07ab4');
  });
});

describe('drift-only walks (annualDrift)', () => {
  const days = 20_000;
  const years = days / 252;
  const base: SynthOptions = { seed: 11, symbols: 20, sectors: 1, interval: '1d', days, edge: { kind: 'none' } };
  const drift = generateMarket({ ...base, annualDrift: [0.1, 0.3] });
  const plain = generateMarket(base);
  const logGrowth = (b: Bars): number => Math.log(b.close[b.close.length - 1]! / b.close[0]!) / years;

  it('drift at the stated 10–30 % a year over ~80 years', () => {
    // Realised log drift per year = the drift + noise with an sd over ~79 years of ~0.03 per symbol
    // (daily vol ~1.7 % with regimes: 0.017·√252/√79). The mean over 20 symbols is 0.2 ± ~0.02 (the
    // market and sector factors are common, so it does not shrink like 1/√20): ±0.06 is ~3 sd. A drift
    // of at least 0.1 is over 3 sd above 0, so every symbol's realised drift is positive.
    const g = drift.bars.map(logGrowth);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    expect(mean).toBeGreaterThan(0.14);
    expect(mean).toBeLessThan(0.26);
    for (const x of g) expect(x).toBeGreaterThan(0);
    expect(Math.min(...g)).toBeLessThan(Math.max(...g) - 0.05); // drifts differ across symbols
  });

  it('differ from the default-drift twin by exactly the drift difference (same draws otherwise)', () => {
    // μ = lo + (hi − lo)·u with one u per symbol for both: (0.1 + 0.2u) − 0.1u = 0.1 + 0.1u ∈ [0.1, 0.2].
    // The first bar of day 0 opens at the start price in both, and every other draw is shared, so the
    // log-price difference after `days` days is the drift difference × years (up to 6-decimal prices).
    const diffs = drift.bars.map((b, i) => logGrowth(b) - logGrowth(plain.bars[i]!));
    for (const d of diffs) {
      expect(d).toBeGreaterThanOrEqual(0.1 - 1e-6);
      expect(d).toBeLessThanOrEqual(0.2 + 1e-6);
    }
    expect(drift.universe.synthetic?.annual_drift).toBe('0.1..0.3');
  });
});

describe('named sectors of unequal size (sectorSizes)', () => {
  const sizes = [{ name: 'Information Technology', symbols: 3 }, { name: 'Utilities', symbols: 1 }, { name: 'Energy', symbols: 2 }];

  it('lays symbols out in the named sectors, in order, and plants the edge in the named one', () => {
    const m = generateMarket({ seed: 1, symbols: 6, sectors: 3, interval: '1d', days: 50, sectorSizes: sizes, edge: { kind: 'trend', sector: 'Energy', strength: 1 } });
    expect(Object.entries(m.universe.symbols).map(([s, i]) => `${s}:${i.sector}`)).toEqual([
      'S01A:Information Technology', 'S01B:Information Technology', 'S01C:Information Technology', 'S02A:Utilities', 'S03A:Energy', 'S03B:Energy',
    ]);
    expect(m.universe.edge).toMatchObject({ kind: 'trend', sector: 'Energy' });
    expect(m.universe.synthetic?.sector_sizes).toBe('Information Technology:3,Utilities:1,Energy:2');
  });

  it('refuses sizes that do not match the counts, and an edge sector not among the names', () => {
    const o = { seed: 1, symbols: 6, sectors: 3, interval: '1d' as const, days: 50, edge: { kind: 'none' as const } };
    expect(() => generateMarket({ ...o, symbols: 7, sectorSizes: sizes })).toThrow('synthetic market: sectorSizes add up to 6 symbols but symbols is 7');
    expect(() => generateMarket({ ...o, sectors: 2, sectorSizes: sizes })).toThrow('synthetic market: sectorSizes lists 3 sectors but sectors is 2');
    expect(() => generateMarket({ ...o, sectorSizes: sizes, edge: { kind: 'trend', sector: 'SEC1', strength: 1 } }))
      .toThrow('synthetic market: edge sector "SEC1" is not one of Information Technology, Utilities, Energy');
    expect(() => generateMarket({ ...o, annualDrift: [0.3, 0.1] })).toThrow('synthetic market: annualDrift must be [lo, hi] with lo ≤ hi, both within ±2 (log per year), got [0.3,0.1]');
  });
});

describe('real bars permuted in time', () => {
  // A hand-made series: closes 100, 110, 99, 99, 108.9, 119.79 → log returns ln1.1, ln0.9, 0, ln1.1, ln1.1.
  const close = [100, 110, 99, 99, 108.9, 119.79];
  const hand: Bars = {
    symbol: 'X', interval: '1d', time: Float64Array.from(close, (_, i) => 86_400_000 * (i + 1)),
    open: Float64Array.from(close, (c, i) => (i === 0 ? 99 : close[i - 1]! * 1.01)),
    high: Float64Array.from(close, (c, i) => Math.max(c, i === 0 ? 99 : close[i - 1]! * 1.01) + 1),
    low: Float64Array.from(close, (c, i) => Math.min(c, i === 0 ? 99 : close[i - 1]! * 1.01) - 1),
    close: Float64Array.from(close), volume: Float64Array.from(close, (_, i) => 1000 + i),
  };

  it('keep the first bar, the dates, the multiset of returns (with their bars) and consistent OHLC', () => {
    const p = permuteBars(hand, createRandom(5));
    expect(p.time).toEqual(hand.time);
    expect([p.open[0], p.high[0], p.low[0], p.close[0], p.volume[0]]).toEqual([99, 101, 98, 100, 1000]);
    const want = [Math.log(0.9), 0, Math.log(1.1), Math.log(1.1), Math.log(1.1)];
    sortedReturns(p.close).forEach((r, i) => expect(r).toBeCloseTo(want[i]!, 8));
    // Each moved bar carries its volume and its open 1 % above the previous close.
    expect([...p.volume.subarray(1)].sort()).toEqual([1001, 1002, 1003, 1004, 1005]);
    for (let t = 1; t < p.time.length; t++) expect(p.open[t]! / p.close[t - 1]!).toBeCloseTo(1.01, 8);
    expect(ohlcOk(p)).toBe(true);
  });

  it('are a different order for another seed, the same for the same seed', () => {
    const long: Bars = { ...hand, time: Float64Array.from({ length: 200 }, (_, i) => 86_400_000 * (i + 1)) } as Bars;
    const c = Float64Array.from({ length: 200 }, (_, i) => 100 * Math.exp(0.01 * Math.sin(i) + 0.001 * i));
    const bars: Bars = { ...long, open: c, high: c.map((x) => x * 1.01), low: c.map((x) => x * 0.99), close: c, volume: new Float64Array(200).fill(1) };
    const a = permuteBars(bars, createRandom(1));
    expect(permuteBars(bars, createRandom(1)).close).toEqual(a.close);
    expect(permuteBars(bars, createRandom(2)).close).not.toEqual(a.close);
    expect(a.close).not.toEqual(bars.close);
  });

  it('a market drawn from the bundled stocks keeps each real symbol\'s first price and returns', async () => {
    const bundled = loadBundledUniverse(undefined, { cacheDir: null, env: {} });
    const m = permutedMarket(bundled, { seed: 3, interval: '1d', sectorSizes: [{ name: 'Energy', symbols: 2 }, { name: 'Utilities', symbols: 1 }], minBars: 1200 });
    expect(Object.values(m.universe.symbols).map((s) => s.sector)).toEqual(['Energy', 'Energy', 'Utilities']);
    for (const p of m.bars) {
      const real = bundled.loadBars(p.symbol, '1d', { repair: true }).bars;
      expect(bundled.info(p.symbol).sector).toBe(m.universe.symbols[p.symbol]!.sector);
      expect(p.time).toEqual(real.time);
      expect(p.close[0]).toBe(real.close[0]);
      const a = sortedReturns(p.close);
      const b = sortedReturns(real.close);
      expect(a).toHaveLength(b.length);
      // Prices are printed with 6 decimals: a return moves by at most ~1e-6 / price.
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst).toBeLessThan(1e-6);
      expect(p.close).not.toEqual(real.close);
      expect(ohlcOk(p)).toBe(true);
    }
    const again = permutedMarket(bundled, { seed: 3, interval: '1d', sectorSizes: [{ name: 'Energy', symbols: 2 }, { name: 'Utilities', symbols: 1 }], minBars: 1200 });
    expect(again.bars.map((b) => b.close)).toEqual(m.bars.map((b) => b.close));

    // Written as a --universe directory and loaded back: each symbol keeps its own dates (real series
    // differ in length and gaps, unlike a synthetic market's shared grid) and its 6-decimal prices.
    const dir = mkdtempSync(join(tmpdir(), 'gauntlet-permuted-'));
    try {
      const shorter = { ...m, bars: [...m.bars.slice(0, 2), sliceBars(m.bars[2]!, 5, m.bars[2]!.time.length)] };
      await writeMarket(dir, shorter);
      const u = loadUniverseDir(dir, { cacheDir: null, env: {} });
      for (const b of shorter.bars) {
        const back = u.loadBars(b.symbol, '1d').bars;
        expect(back.time).toEqual(b.time);
        for (let t = 0; t < b.time.length; t += 97) expect(back.close[t]).toBeCloseTo(b.close[t]!, 6);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
