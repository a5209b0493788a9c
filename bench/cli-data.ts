import { writeFileSync } from 'node:fs';
import { mulberry32 } from './random-walk.ts';

/**
 * A 1-minute bar CSV of `n` rows in the TradingView layout (epoch seconds), prices with 2 decimals as
 * real quotes have: a seeded random walk with a slow cycle, so the SMA 10/50 crosses are real trends
 * and whipsaws, as on market data. Written once per bench run; both backtesters read this file.
 */
export function writeMinuteCsv(path: string, n: number, seed: number): void {
  const rand = mulberry32(seed);
  const t0 = Date.UTC(2020, 0, 1) / 1000;
  const lines: string[] = ['time,open,high,low,close,Volume'];
  let walk = 0;
  const cents = (x: number): number => Math.round(x * 100) / 100;
  for (let i = 0; i < n; i++) {
    walk += (rand() - 0.5) * 0.002;
    const mid = 100 * Math.exp(walk + 0.05 * Math.sin((2 * Math.PI * i) / 1440));
    const open = cents(mid * (1 + (rand() - 0.5) * 0.001));
    const close = cents(mid * (1 + (rand() - 0.5) * 0.001));
    const high = cents(Math.max(open, close) * (1 + rand() * 0.0005)) + 0.01;
    const low = cents(Math.min(open, close) * (1 - rand() * 0.0005)) - 0.01;
    lines.push(`${t0 + i * 60},${open},${high.toFixed(2)},${low.toFixed(2)},${close},${1000 + Math.floor(rand() * 9000)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
