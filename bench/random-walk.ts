import { allocBars, type Bars } from '../src/engine/data/bars.ts';

/** mulberry32: a tiny seeded uniform [0, 1) source; the benches need speed and repeatability, not statistical finesse. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded geometric random walk with consistent OHLC, minute bars: enough for throughput benches. */
export function randomWalkBars(n: number, seed: number): Bars {
  const bars = allocBars('BENCH', '1m', n);
  const rand = mulberry32(seed);
  let price = 100;
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = open * Math.exp((rand() - 0.5) * 0.004);
    const hi = Math.max(open, close) * (1 + rand() * 0.001);
    const lo = Math.min(open, close) * (1 - rand() * 0.001);
    bars.time[i] = t0 + i * 60_000;
    bars.open[i] = open;
    bars.high[i] = hi;
    bars.low[i] = lo;
    bars.close[i] = close;
    bars.volume[i] = 1000 + Math.floor(rand() * 1000);
    price = close;
  }
  return bars;
}
