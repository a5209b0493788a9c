import { describe, expect, it } from 'vitest';
import { createRandom, randomFromState } from '../../src/core/random.ts';

describe('xoshiro128** core', () => {
  it('matches the reference C implementation (Blackman & Vigna) from state {1,2,3,4}', () => {
    // Produced by the reference xoshiro128plusplus.c/xoshiro128starstar.c compiled with gcc.
    const rng = randomFromState(1, 2, 3, 4);
    const got = Array.from({ length: 8 }, () => rng.nextU32());
    expect(got).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('matches the reference after 1000 steps from an arbitrary state', () => {
    const rng = randomFromState(0x9e3779b9, 0x243f6a88, 0xb7e15162, 0xdeadbeef);
    for (let i = 0; i < 1000; i++) rng.nextU32();
    expect(Array.from({ length: 4 }, () => rng.nextU32())).toEqual([2541037969, 1849389561, 1502624387, 2643130287]);
  });

  it('rejects the all-zero state', () => {
    expect(() => randomFromState(0, 0, 0, 0)).toThrow(RangeError);
  });
});

describe('createRandom', () => {
  it('is deterministic per seed and differs across seeds (numbers and strings)', () => {
    const seq = (s: number | string): number[] => { const r = createRandom(s); return Array.from({ length: 16 }, () => r.nextU32()); };
    expect(seq(42)).toEqual(seq(42));
    expect(seq('abc')).toEqual(seq('abc'));
    expect(seq(42)).not.toEqual(seq(43));
    expect(seq(-1)).not.toEqual(seq(1));
    expect(seq('42')).not.toEqual(seq(42));
    expect(seq(2 ** 40)).not.toEqual(seq(0));
    expect(() => createRandom(1.5)).toThrow(RangeError);
  });

  it('next() is uniform on [0, 1): range, mean 1/2, variance 1/12, flat histogram', () => {
    const r = createRandom(7);
    const n = 200_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
      bins[Math.floor(u * 10)]!++;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
    // χ² with 9 degrees of freedom: the 99.9 % quantile is 27.9.
    const chi2 = bins.reduce((a, b) => a + (b - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('normal() has mean 0, variance 1, kurtosis 3 and 95 % inside ±1.96', () => {
    const r = createRandom('gauss');
    const n = 200_000;
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s1 += z;
      s2 += z * z;
      s4 += z ** 4;
      if (Math.abs(z) < 1.959964) inside++;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.1);
    expect(Math.abs(inside / n - 0.95)).toBeLessThan(4 * Math.sqrt(0.95 * 0.05 / n));
  });

  it('int(lo, hi) is half-open and covers every value evenly', () => {
    const r = createRandom(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const k = r.int(-2, 4);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(r.int(5, 6)).toBe(5);
    expect(() => r.int(3, 3)).toThrow(RangeError);
    expect(() => r.int(0, 2.5)).toThrow(RangeError);
  });

  it('shuffle returns a permutation, deterministically', () => {
    const a = createRandom(9).shuffle(Array.from({ length: 50 }, (_, i) => i));
    const b = createRandom(9).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('fork', () => {
  it('depends on the seed path and label only, not on how much the parent has drawn', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    for (let i = 0; i < 100; i++) b.next();
    const fa = a.fork('market');
    const fb = b.fork('market');
    expect(Array.from({ length: 8 }, () => fa.nextU32())).toEqual(Array.from({ length: 8 }, () => fb.nextU32()));
    // Nested forks are paths: root/x/y differs from root/y/x and from root/x.
    const xy = createRandom(5).fork('x').fork('y').nextU32();
    expect(createRandom(5).fork('x').fork('y').nextU32()).toBe(xy);
    expect(createRandom(5).fork('y').fork('x').nextU32()).not.toBe(xy);
    expect(createRandom(5).fork('x').nextU32()).not.toBe(xy);
  });

  it('gives uncorrelated streams for different labels and for the parent', () => {
    const root = createRandom(11);
    const s1 = root.fork('a');
    const s2 = root.fork('b');
    const s3 = root.fork(1);
    const n = 50_000;
    const corr = (x: () => number, y: () => number): number => {
      let sx = 0; let sy = 0; let sxx = 0; let syy = 0; let sxy = 0;
      for (let i = 0; i < n; i++) {
        const u = x(); const v = y();
        sx += u; sy += v; sxx += u * u; syy += v * v; sxy += u * v;
      }
      return (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    };
    const bound = 4 / Math.sqrt(n);
    expect(Math.abs(corr(() => s1.normal(), () => s2.normal()))).toBeLessThan(bound);
    expect(Math.abs(corr(() => s1.normal(), () => s3.normal()))).toBeLessThan(bound);
    expect(Math.abs(corr(() => root.normal(), () => s2.normal()))).toBeLessThan(bound);
  });
});
