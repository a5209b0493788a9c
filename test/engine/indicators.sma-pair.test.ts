/**
 * smaPair computes two SMAs of one source in one pass; it must equal `sma` for each period bit for
 * bit (sma itself is checked against an exact-sum second implementation in indicators.exact-sums).
 */
import { describe, expect, it } from 'vitest';
import { sma } from '../../src/engine/indicators/sma.ts';
import { smaPair } from '../../src/engine/indicators/sma-pair.ts';
import { randomWalkBars } from '../../bench/random-walk.ts';
import { mulberry32 } from '../support/mulberry32.ts';

/** Bars where the two columns differ (NaN = NaN), at most five. */
function mismatches(a: Float64Array, b: Float64Array): string[] {
  const bad: string[] = [];
  for (let t = 0; t < Math.max(a.length, b.length); t++) if (!Object.is(a[t], b[t])) bad.push(`bar ${t}: ${a[t]} vs ${b[t]}`);
  return bad.slice(0, 5);
}

describe('smaPair is two sma calls, bit for bit', () => {
  const walk = randomWalkBars(30_000, 4).close;
  const rand = mulberry32(12);
  let v = 0;
  const signed = Float64Array.from({ length: 30_000 }, () => (v += (rand() - 0.5) * 10 ** Math.floor(rand() * 7 - 3)));

  it.each([[10, 40], [40, 10], [1, 2], [20, 20], [3, 200]])('periods %d and %d, on a random walk and on a zero-crossing walk', (p, q) => {
    for (const x of [walk, signed]) {
      const [a, b] = smaPair(x, p, q);
      expect(mismatches(a.slice(), sma(x, p))).toEqual([]);
      expect(mismatches(b.slice(), sma(x, q))).toEqual([]);
    }
  });

  it('a series shorter than a window, and a NaN break (each window restarts after it, as in sma)', () => {
    const short = walk.subarray(0, 15);
    const [a, b] = smaPair(short, 5, 30);
    expect(mismatches(a.slice(), sma(short, 5))).toEqual([]);
    expect([...b].every((x) => Number.isNaN(x))).toBe(true);
    const broken = walk.slice(0, 500);
    broken[250] = NaN;
    const [c, d] = smaPair(broken, 7, 30);
    expect(mismatches(c.slice(), sma(broken, 7))).toEqual([]);
    expect(mismatches(d.slice(), sma(broken, 30))).toEqual([]);
    // The NaN at 250 restarts the 30-bar window at 251: undefined to 279, defined from 280.
    expect(d[279]).toBeNaN();
    expect(d[280]).not.toBeNaN();
  });
});
