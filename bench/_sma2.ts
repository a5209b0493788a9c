import { randomWalkBars } from './random-walk.ts';
import { medianMs } from './timing.ts';
import { sma } from '../src/engine/indicators/sma.ts';
import { Workspace, withWorkspace } from '../src/engine/workspace.ts';
const b = randomWalkBars(1_000_000, 42);
const mp = () => { let a = 0; for (let i = 0; i < b.open.length; i++) a += b.open[i]! + b.high[i]! + b.low[i]! + b.close[i]! + b.volume[i]!; return a; };
const ws = new Workspace();
console.log('mp', medianMs(mp, 21).toFixed(2));
console.log('sma ws', medianMs(() => withWorkspace(ws, () => sma(b.close, 10)), 21).toFixed(2));
console.log('sma fresh', medianMs(() => sma(b.close, 10), 21).toFixed(2));
const o = new Float64Array(b.close.length);
function plain(src: Float64Array, period: number, out: Float64Array) { let sum = 0; for (let i = 0; i < period; i++) { sum += src[i]!; out[i] = NaN; } out[period - 1] = sum / period; for (let i = period; i < src.length; i++) { sum = sum - src[i - period]! + src[i]!; out[i] = sum / period; } }
console.log('plain into', medianMs(() => plain(b.close, 10, o), 21).toFixed(2));
function nodiv(src: Float64Array, period: number, out: Float64Array) { let sum = 0; const inv = 1 / period; for (let i = period; i < src.length; i++) { sum = sum - src[i - period]! + src[i]!; out[i] = sum * inv; } }
console.log('mul into', medianMs(() => nodiv(b.close, 10, o), 21).toFixed(2));
