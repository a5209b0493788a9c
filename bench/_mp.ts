import { randomWalkBars } from './random-walk.ts';
import { interleavedMs } from './timing.ts';
import type { Bars } from '../src/engine/data/bars.ts';
const b = randomWalkBars(1_000_000, 42);
function memoryPass(x: Bars): number { const { open, high, low, close, volume } = x; let acc = 0; for (let i = 0; i < open.length; i++) acc += open[i]! + high[i]! + low[i]! + close[i]! + volume[i]!; return acc; }
const mp = () => { let a = 0; for (let i = 0; i < b.open.length; i++) a += b.open[i]! + b.high[i]! + b.low[i]! + b.close[i]! + b.volume[i]!; return a; };
function mp2(x: Bars): number { const { open, high, low, close, volume } = x; const n = open.length; let acc = 0.5; for (let i = 0; i < n; i++) acc += open[i]! + high[i]! + low[i]! + close[i]! + volume[i]!; return acc; }
console.log(interleavedMs([() => memoryPass(b), mp, () => mp2(b)], 21));
function mp3(x: Bars): number { let acc = 0; const n = x.open.length; for (let i = 0; i < n; i++) acc += x.open[i]! + x.high[i]! + x.low[i]! + x.close[i]! + x.volume[i]!; return acc; }
function mp4(x: Bars): number { const { open, high, low, close, volume } = x; let a = 0, b2 = 0, c = 0, d = 0, e = 0; for (let i = 0; i < open.length; i++) { a += open[i]!; b2 += high[i]!; c += low[i]!; d += close[i]!; e += volume[i]!; } return a + b2 + c + d + e; }
function mp5(x: Bars): number { const o = x.open, h = x.high, l = x.low, c = x.close, v = x.volume; let acc = 0; for (let i = 0; i < o.length; i++) { const s = o[i]! + h[i]! + l[i]! + c[i]! + v[i]!; acc += s; } return acc; }
console.log(interleavedMs([() => memoryPass(b), mp, () => mp3(b), () => mp4(b), () => mp5(b)], 21));
