// Stationary bootstrap, automatic block length, White's Reality Check and Hansen's SPA (stats.md §5).
// Seeded cross-checks come from test/core/stats-reference.py (independent Python, same mulberry32 draws).
import { describe, expect, it } from 'vitest';
import {
  autocovariances,
  hansenSpa,
  optimalStationaryBlockLength,
  performanceDifferentials,
  spaConsistentThreshold,
  stationaryBootstrapFromDraws,
  stationaryBootstrapIndices,
  stationaryBootstrapLongRunVariance,
  whiteRealityCheck,
} from '../../src/core/stats/index.ts';
import { expectAllDigits, expectDigits, mulberry32 } from './stats-helpers.ts';

/** A `random` that replays a script, to pin the draw order. */
const scripted = (values: number[]): (() => number) => {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('script exhausted');
    return values[i++]!;
  };
};

describe('mulberry32 port', () => {
  it('matches the Python port bit for bit (seed 1)', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });
});

describe('stationary bootstrap indices (Politis & Romano 1994)', () => {
  it('stats.md vector: starts [3,0,5,1,2,4], u [.9,.1,.95,.2,.99,.5], p = 1/3 → [3,0,1,1,2,3] [S]', () => {
    expect(Array.from(stationaryBootstrapFromDraws([3, 0, 5, 1, 2, 4], [0.9, 0.1, 0.95, 0.2, 0.99, 0.5], 1 / 3))).toEqual([3, 0, 1, 1, 2, 3]);
  });
  it('a new block exactly when u <= p; the generator follows the documented draw order', () => {
    // pos 0: start ⌊3.5/6·6⌋ = 3; pos 1: u = .1 <= 1/3 → start ⌊.05·6⌋ = 0; pos 2: u = .95 → 1;
    // pos 3: u = .2 → start ⌊.25·6⌋ = 1; pos 4: u = .99 → 2; pos 5: u = .5 → 3.
    const idx = stationaryBootstrapIndices(6, 3, scripted([3.5 / 6, 0.1, 0.05, 0.95, 0.2, 0.25, 0.99, 0.5]));
    expect(Array.from(idx)).toEqual([3, 0, 1, 1, 2, 3]);
    expect(Array.from(stationaryBootstrapFromDraws([0, 1, 2], [0.5, 1 / 3, 0.9], 1 / 3))).toEqual([0, 1, 2]); // u = p starts anew (here at 1)
  });
  it('wraps around the end of the sample', () => {
    expect(Array.from(stationaryBootstrapIndices(4, 1e9, scripted([0.9, 0.5, 0.5, 0.5])))).toEqual([3, 0, 1, 2]);
  });
  it('every index is an integer in range, and the mean block length matches the requested one', () => {
    const rnd = mulberry32(123);
    const n = 1000;
    const b = 20;
    const draws = 200;
    const out = new Int32Array(n);
    let breaks = 0;
    for (let d = 0; d < draws; d++) {
      stationaryBootstrapIndices(n, b, rnd, out);
      for (let t = 0; t < n; t++) {
        const i = out[t]!;
        expect(i >= 0 && i < n).toBe(true);
        if (t > 0 && i !== (out[t - 1]! + 1) % n) breaks++;
      }
    }
    // A visible break happens with probability p·(1 − 1/n) (a fresh start can land on the next index).
    const p = 1 / b;
    const expected = p * (1 - 1 / n);
    const trials = draws * (n - 1);
    const se = Math.sqrt((expected * (1 - expected)) / trials);
    expect(Math.abs(breaks / trials - expected)).toBeLessThan(4 * se);
    const meanBlock = trials / breaks; // ≈ b
    expect(Math.abs(meanBlock - b)).toBeLessThan(1);
  });
  it('meanBlock = 1 is the IID bootstrap (a fresh start at every position)', () => {
    const rnd = mulberry32(4);
    let contiguous = 0;
    for (let d = 0; d < 50; d++) {
      const idx = stationaryBootstrapIndices(200, 1, rnd);
      for (let t = 1; t < 200; t++) if (idx[t] === (idx[t - 1]! + 1) % 200) contiguous++;
    }
    expect(contiguous / (50 * 199)).toBeLessThan(0.02); // only chance coincidences, ≈ 1/200
  });
  it('is deterministic given the seed', () => {
    expect(Array.from(stationaryBootstrapIndices(50, 4, mulberry32(9)))).toEqual(Array.from(stationaryBootstrapIndices(50, 4, mulberry32(9))));
  });
  it('rejects impossible inputs', () => {
    expect(() => stationaryBootstrapIndices(0, 2, mulberry32(1))).toThrow(RangeError);
    expect(() => stationaryBootstrapIndices(10, 0.5, mulberry32(1))).toThrow(RangeError);
    expect(() => stationaryBootstrapIndices(10, 2, () => 1)).toThrow(RangeError);
    expect(() => stationaryBootstrapIndices(10, 2, () => NaN)).toThrow(RangeError);
    expect(() => stationaryBootstrapIndices(10, 2, mulberry32(1), new Int32Array(9))).toThrow(RangeError);
    expect(() => stationaryBootstrapFromDraws([0, 7], [0, 0], 0.5)).toThrow(RangeError);
    expect(() => stationaryBootstrapFromDraws([0, 1], [0, 0], 0)).toThrow(RangeError);
  });
});

describe('optimal block length (Politis–White 2004, Patton et al. 2009; arch) [S]', () => {
  const ar1 = (phi: number, n: number): number[] => {
    const rnd = mulberry32(11);
    let prev = 0;
    return Array.from({ length: n }, () => (prev = phi * prev + (rnd() - 0.5)));
  };
  it.each<[number, number, string]>([
    [0.5, 500, '7.1207949181797545'],
    [0.9, 2000, '48.29167006748026'],
    [0, 300, '1.2676782638418431'],
  ])('AR(1) φ = %d, n = %d matches arch _single_optimal_block', (phi, n, v) => {
    expectDigits(optimalStationaryBlockLength(ar1(phi, n)), v, 1e-10 * Number(v));
  });
  it('rejects short or constant series', () => {
    expect(() => optimalStationaryBlockLength([1, 2, 3])).toThrow(RangeError);
    expect(() => optimalStationaryBlockLength([1, 1, 1, 1, 1])).toThrow(RangeError);
  });
});

describe('Hansen kernel variance and autocovariances', () => {
  it('ω² of sin(0.7t) + 0.1t, n = 30, b = 3 = 2.4684068247886928 (O(n²) Python) [S]', () => {
    const x = Array.from({ length: 30 }, (_, t) => Math.sin(0.7 * t) + 0.1 * t);
    expectDigits(stationaryBootstrapLongRunVariance(x, 3), '2.4684068247886928', 1e-12);
  });
  it('FFT autocovariances equal the direct sums', () => {
    const rnd = mulberry32(3);
    const e = Float64Array.from({ length: 1000 }, () => rnd() - 0.5);
    const g = autocovariances(e);
    for (const lag of [0, 1, 2, 17, 500, 998, 999]) {
      let s = 0;
      for (let t = 0; t + lag < e.length; t++) s += e[t]! * e[t + lag]!;
      expect(Math.abs(g[lag]! - s / e.length)).toBeLessThan(1e-15);
    }
  });
  it('√(2 ln ln 1000) = 1.9660339 (Hansen threshold) [V]', () => {
    expectDigits(spaConsistentThreshold(1000), '1.9660339');
    expect(() => spaConsistentThreshold(2)).toThrow(RangeError);
  });
});

describe('White Reality Check and Hansen SPA: seeded cross-check with the literal Python [S]', () => {
  // mulberry32(99): per bar, common = u − 0.5; d_k = 0.01·(u − 0.5) + 0.005·common + drift_k.
  const drift = [-0.0004, 0, 0.0001, 0.0003, -0.0002];
  const n = 200;
  const rnd = mulberry32(99);
  const d = drift.map(() => new Float64Array(n));
  for (let t = 0; t < n; t++) {
    const common = rnd() - 0.5;
    drift.forEach((mu, k) => {
      d[k]![t] = 0.01 * (rnd() - 0.5) + 0.005 * common + mu;
    });
  }
  const base = { differentials: d, meanBlock: 5, replications: 300 };

  it('RC: V = 0.005575172247463749, p = 0.16', () => {
    const r = whiteRealityCheck({ ...base, random: mulberry32(7) });
    expectDigits(r.statistic, '0.005575172247463749', 1e-15);
    expect(r.pValue).toBe(0.16);
  });
  it('SPA studentized: ω_k, T = 1.815361891988966, p lower/consistent/upper = .14/.14/.16', () => {
    const r = hansenSpa({ ...base, random: mulberry32(7) });
    expectAllDigits(r.omega, ['0.003294177127032643', '0.0027929456606120414', '0.0032951774099859066', '0.003071107899789292', '0.003050289602594429'], 1e-14);
    expectDigits(r.statistic, '1.815361891988966', 1e-11);
    expect(r.pValues).toEqual({ lower: 0.14, consistent: 0.14, upper: 0.16 });
  });
  it('SPA non-studentized (arch-style): p = 41/300, .14, .16', () => {
    const r = hansenSpa({ ...base, random: mulberry32(7), studentize: false });
    expectDigits(r.statistic, '0.005575172247463749', 1e-15);
    expect(r.pValues).toEqual({ lower: 41 / 300, consistent: 0.14, upper: 0.16 });
  });
  it('upper SPA without studentization is the Reality Check; lower <= consistent <= upper', () => {
    const rc = whiteRealityCheck({ ...base, random: mulberry32(21) });
    const spa = hansenSpa({ ...base, random: mulberry32(21), studentize: false });
    expect(spa.pValues.upper).toBe(rc.pValue);
    const s = hansenSpa({ ...base, random: mulberry32(21) }).pValues;
    expect(s.lower).toBeLessThanOrEqual(s.consistent);
    expect(s.consistent).toBeLessThanOrEqual(s.upper);
  });
});

describe('RC/SPA behaviour', () => {
  it('no edge: p-values are not small; a clear edge: p ≈ 0', () => {
    const rnd = mulberry32(5);
    const bench = Float64Array.from({ length: 500 }, () => rnd() - 0.5);
    const noise = Array.from({ length: 8 }, () => Float64Array.from({ length: 500 }, () => rnd() - 0.5));
    const none = hansenSpa({ differentials: performanceDifferentials(noise, bench), meanBlock: 4, replications: 500, random: mulberry32(1) });
    expect(none.pValues.consistent).toBeGreaterThan(0.05);
    const edge = noise.map((c, k) => (k === 2 ? c.map((v) => v + 0.2) : c));
    const strong = hansenSpa({ differentials: performanceDifferentials(edge, bench), meanBlock: 4, replications: 500, random: mulberry32(1) });
    expect(strong.pValues.consistent).toBe(0);
    expect(whiteRealityCheck({ differentials: performanceDifferentials(edge, bench), meanBlock: 4, replications: 500, random: mulberry32(1) }).pValue).toBe(0);
  });
  it('a model identical to the benchmark (d ≡ 0) has ω = 0 and produces no NaN', () => {
    const rnd = mulberry32(6);
    const d = [new Float64Array(100), Float64Array.from({ length: 100 }, () => rnd() - 0.5)];
    const r = hansenSpa({ differentials: d, meanBlock: 3, replications: 200, random: mulberry32(2) });
    expect(r.omega[0]).toBe(0);
    for (const p of Object.values(r.pValues)) expect(Number.isNaN(p)).toBe(false);
  });
  it('a constant positive edge is certain: T = ∞, p = 0', () => {
    const rnd = mulberry32(6);
    const d = [new Float64Array(100).fill(0.001), Float64Array.from({ length: 100 }, () => rnd() - 0.5)];
    const r = hansenSpa({ differentials: d, meanBlock: 3, replications: 200, random: mulberry32(2) });
    expect(r.statistic).toBe(Infinity);
    expect(r.pValues).toEqual({ lower: 0, consistent: 0, upper: 0 });
  });
  it('rejects impossible inputs', () => {
    const ok = [Float64Array.from([0.1, -0.2, 0.3, 0])];
    expect(() => whiteRealityCheck({ differentials: [], meanBlock: 2, random: mulberry32(1) })).toThrow(RangeError);
    expect(() => whiteRealityCheck({ differentials: [new Float64Array(1)], meanBlock: 2, random: mulberry32(1) })).toThrow(RangeError);
    expect(() => hansenSpa({ differentials: [ok[0]!, new Float64Array(3)], meanBlock: 2, random: mulberry32(1) })).toThrow(RangeError);
    expect(() => hansenSpa({ differentials: [Float64Array.from([0, NaN, 1])], meanBlock: 2, random: mulberry32(1) })).toThrow(RangeError);
    expect(() => hansenSpa({ differentials: ok, meanBlock: 0, random: mulberry32(1) })).toThrow(RangeError);
    expect(() => hansenSpa({ differentials: ok, meanBlock: 2, replications: 0, random: mulberry32(1) })).toThrow(RangeError);
    expect(() => performanceDifferentials([[1, 2]], [1])).toThrow(RangeError);
  });
});
