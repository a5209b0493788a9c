/**
 * The dynamic causality probe (DESIGN §6): signals at bar t must not change when every bar after t
 * is removed. Every example spec passes it on real data; strategies that peek — at the next bar, or
 * at a whole-series statistic — fail it, with the first mismatch reported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSpecText } from '../../src/core/spec/parse.ts';
import { LONG_ENTRY, SHORT_ENTRY } from '../../src/engine/backtest/types.ts';
import { probeCausality } from '../../src/engine/compiler/causality.ts';
import { compile, type CompiledSpec } from '../../src/engine/compiler/compile.ts';
import type { Bars } from '../../src/engine/data/bars.ts';
import { loadBundledUniverse } from '../../src/engine/data/universe.ts';
import { Base } from '../../src/engine/strategy/base.ts';

const SPEC_FILES = readdirSync('specs').filter((f) => f.endsWith('.json')).sort();
const load = (file: string): CompiledSpec => compile(parseSpecText(readFileSync(`specs/${file}`, 'utf8'), file));
const CUTS = 20;

/**
 * A small seeded generator (mulberry32) in [0, 1), written here so the test depends on no module but
 * the probe's `() => number` contract.
 */
function seeded(seed: number): { next: () => number } {
  let a = seed >>> 0;
  return {
    next: () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

let series: Bars[] = [];
beforeAll(() => {
  const u = loadBundledUniverse(undefined, { cacheDir: null });
  series = [u.loadBars('AAPL', '1d', { repair: false }).bars, u.loadBars('BTCUSD', '1h', { repair: false }).bars];
});

/** The cuts the probe must draw: K uniform bars in [0, n − 2], sorted — recomputed here from the same seed. */
function expectedCuts(n: number, seed: number): number[] {
  const r = seeded(seed);
  return Array.from({ length: CUTS }, () => Math.min(n - 2, Math.floor(r.next() * (n - 1)))).sort((a, b) => a - b);
}

/** A CompiledSpec whose signals come from `signals` instead of a spec (the probe reads nothing else). */
function fake(signals: (bars: Bars) => Uint8Array): CompiledSpec {
  return { ...load('inside-bar.json'), signals };
}

/** Goes long when the NEXT close is higher: reads bar i + 1 (undefined past the end, so 0 there). */
class PeekNext extends Base {
  protected init(): void {}
  next(i: number): number {
    const c = this.bars.close;
    return i + 1 < c.length && c[i + 1]! > c[i]! ? LONG_ENTRY : 0;
  }
}

/** Causal control: goes long when this close is above the previous one. */
class UpClose extends Base {
  protected init(): void {}
  next(i: number): number {
    const c = this.bars.close;
    return i > 0 && c[i]! > c[i - 1]! ? LONG_ENTRY : 0;
  }
}

/** Leaks through a whole-series statistic: long above the mean close of the ENTIRE series, short below. */
class AboveFullMean extends Base {
  private mean = 0;
  protected init(): void {
    const c = this.bars.close;
    this.mean = c.reduce((s, x) => s + x, 0) / c.length;
  }
  next(i: number): number {
    return this.bars.close[i]! > this.mean ? LONG_ENTRY : SHORT_ENTRY;
  }
}

describe('causality probe', () => {
  it.each(SPEC_FILES)('%s passes with 20 seeded cuts on AAPL 1d and BTCUSD 1h', (file) => {
    const c = load(file);
    for (const [k, bars] of series.entries()) {
      const seed = 1000 + k;
      const r = seeded(seed);
      const p = probeCausality(c, bars, CUTS, () => r.next());
      expect(p.mismatch).toBeNull();
      expect(p.ok).toBe(true);
      expect(p.cuts).toHaveLength(CUTS);
      expect(p.cuts).toEqual(expectedCuts(bars.time.length, seed));
      // The cuts cover the series: not all in the warm-up.
      expect(Math.max(...p.cuts)).toBeGreaterThan(c.warmup);
    }
  });

  it('a causal hand-written strategy passes', () => {
    const bars = series[0]!;
    const r = seeded(7);
    expect(probeCausality(fake((b) => new UpClose(b).signals()), bars, CUTS, () => r.next()).ok).toBe(true);
  });

  it('a strategy reading close[t + 1] fails, at the first cut whose next close is higher', () => {
    for (const [k, bars] of series.entries()) {
      const seed = 42 + k;
      const r = seeded(seed);
      const p = probeCausality(fake((b) => new PeekNext(b).signals()), bars, CUTS, () => r.next());
      expect(p.ok).toBe(false);
      expect(p.cuts).toEqual(expectedCuts(bars.time.length, seed));
      // Cut at c, the truncated run cannot see close[c + 1], so its bit at c is 0; the full run's bit at c is
      // LONG_ENTRY exactly when close[c + 1] > close[c]. Every bar before c agrees (both see their next bar).
      const c = bars.close;
      const first = p.cuts.find((cut) => c[cut + 1]! > c[cut]!);
      expect(first).toBeDefined();
      expect(p.mismatch).toEqual({ cut: first, bar: first, full: LONG_ENTRY, truncated: 0 });
    }
  });

  it('the same peek written as a fake signals() function, not a Base subclass, fails too', () => {
    const bars = series[1]!;
    const peek = (b: Bars): Uint8Array => {
      const out = new Uint8Array(b.time.length);
      for (let t = 0; t + 1 < b.time.length; t++) out[t] = b.close[t + 1]! < b.close[t]! ? SHORT_ENTRY : 0;
      return out;
    };
    const r = seeded(3);
    const p = probeCausality(fake(peek), bars, CUTS, () => r.next());
    expect(p.ok).toBe(false);
    const first = p.cuts.find((cut) => bars.close[cut + 1]! < bars.close[cut]!)!;
    expect(p.mismatch).toEqual({ cut: first, bar: first, full: SHORT_ENTRY, truncated: 0 });
  });

  it('a strategy using a whole-series mean fails, and the reported bar really differs', () => {
    const bars = series[0]!; // AAPL trends up over 2013–2018, so the full-series mean is far above early truncated means
    const r = seeded(11);
    const strategy = fake((b) => new AboveFullMean(b).signals());
    const p = probeCausality(strategy, bars, CUTS, () => r.next());
    expect(p.ok).toBe(false);
    const m = p.mismatch!;
    expect(m.bar).toBeLessThanOrEqual(m.cut);
    const mean = (n: number): number => { let s = 0; for (let i = 0; i < n; i++) s += bars.close[i]!; return s / n; };
    const bit = (meanValue: number): number => (bars.close[m.bar]! > meanValue ? LONG_ENTRY : SHORT_ENTRY);
    expect(m.full).toBe(bit(mean(bars.time.length)));
    expect(m.truncated).toBe(bit(mean(m.cut + 1)));
    expect(m.full).not.toBe(m.truncated);
  });
});
