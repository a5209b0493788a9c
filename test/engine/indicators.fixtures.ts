/** Shared inputs and checks for the indicator tests: real S&P 500 bars, a seeded random market, NaN padding. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Ohlcv } from '../../src/engine/data/bars.ts';
import { mulberry32 } from '../support/mulberry32.ts';

const SP500_CSV = new URL('../../data/sp500_index_2000_2020/sp500-2000.csv', import.meta.url).pathname;

/** The first `n` daily bars of the S&P 500 index from 2000 (columns date,open,high,low,close,adjclose,volume). */
export function sp500(n: number): Ohlcv {
  const rows = readFileSync(SP500_CSV, 'utf8').trim().split('\n').slice(1, n + 1).map((line) => line.split(',').map(Number));
  const col = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k]!);
  return { open: col(1), high: col(2), low: col(3), close: col(4), volume: col(6) };
}


/** A seeded geometric random walk with consistent OHLC (low ≤ open, close ≤ high) and volume. */
export function randomBars(n: number, seed: number): Ohlcv {
  const rand = seededRandom(seed);
  const b = { open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let price = 50;
  for (let i = 0; i < n; i++) {
    const open = price * (1 + (rand() - 0.5) * 0.004);
    const close = open * Math.exp((rand() - 0.5) * 0.04);
    b.open[i] = open;
    b.close[i] = close;
    b.high[i] = Math.max(open, close) * (1 + rand() * 0.01);
    b.low[i] = Math.min(open, close) * (1 - rand() * 0.01);
    b.volume[i] = 1e5 + Math.floor(rand() * 9e5);
    price = close;
  }
  return b;
}

/** A right-aligned column: technicalindicators' head-truncated output with NaN in front. */
export function padHead(values: ReadonlyArray<number | undefined>, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  const offset = n - values.length;
  values.forEach((v, i) => { out[offset + i] = v ?? NaN; });
  return out;
}

export function leadingNaNs(xs: Float64Array): number {
  let k = 0;
  while (k < xs.length && Number.isNaN(xs[k])) k++;
  return k;
}

/** Same length, exactly `warmup` leading NaNs and none after. */
export function expectWarmup(ours: Float64Array, n: number, warmup: number): void {
  expect(ours.length).toBe(n);
  expect(leadingNaNs(ours)).toBe(Math.min(warmup, n));
  expect(ours.subarray(warmup).every((v) => !Number.isNaN(v))).toBe(true);
}

/** Every defined value bit-identical (Object.is) to the expected one. */
export function expectBitIdentical(ours: Float64Array, expected: Float64Array): void {
  expect(ours.length).toBe(expected.length);
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < ours.length; i++) {
    if (!Object.is(ours[i], expected[i])) {
      mismatches++;
      if (first < 0) first = i;
    }
  }
  expect({ mismatches, first, ours: ours[first], expected: expected[first] }).toEqual({ mismatches: 0, first: -1, ours: undefined, expected: undefined });
}

/** |ours − expected| ≤ absolute + relative·|expected| everywhere, NaN where expected is NaN. Returns the largest relative error. */
export function expectClose(ours: Float64Array, expected: Float64Array, relative: number, absolute = 0): number {
  expect(ours.length).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = expected[i]!;
    if (Number.isNaN(b)) {
      expect(Number.isNaN(a), `bar ${i}: expected NaN, got ${a}`).toBe(true);
      continue;
    }
    const excess = Math.abs(a - b) - absolute;
    const rel = excess <= 0 ? 0 : excess / Math.max(Math.abs(b), Number.MIN_VALUE);
    if (rel > worst) {
      worst = rel;
      worstAt = i;
    }
  }
  expect(worst, `worst at bar ${worstAt}: ${ours[worstAt]} vs ${expected[worstAt]}`).toBeLessThanOrEqual(relative);
  return worst;
}

/** mulberry32 (test/support): seeded inputs independent of the code under test. */
export const seededRandom = mulberry32;
