import { randomWalkBars } from './random-walk.ts';
import { medianMs } from './timing.ts';
import { sma } from '../src/engine/indicators/sma.ts';
const b = randomWalkBars(1_000_000, 42);
const x = b.close;
console.log('alloc', medianMs(() => new Float64Array(x.length), 11).toFixed(2));
console.log('alloc+fill', medianMs(() => new Float64Array(x.length).fill(NaN), 11).toFixed(2));
function plain(src: Float64Array, p: number) { const out = new Float64Array(src.length); let sum = 0; for (let i = 0; i < p; i++) { sum += src[i]!; out[i] = NaN; } out[p-1] = sum / p; for (let i = p; i < src.length; i++) { sum = sum - src[i-p]! + src[i]!; out[i] = sum / p; } return out; }
console.log('plain', medianMs(() => plain(x, 10), 11).toFixed(2));
console.log('sma', medianMs(() => sma(x, 10), 11).toFixed(2));
const out = new Float64Array(x.length);
function into(src: Float64Array, p: number, out: Float64Array) { let sum = 0; for (let i = 0; i < p; i++) { sum += src[i]!; out[i] = NaN; } out[p-1] = sum / p; for (let i = p; i < src.length; i++) { sum = sum - src[i-p]! + src[i]!; out[i] = sum / p; } return out; }
console.log('into (no alloc)', medianMs(() => into(x, 10, out), 11).toFixed(2));
const outs = Array.from({length: 30}, () => new Float64Array(x.length));
let k = 0;
console.log('into fresh-untouched', medianMs(() => into(x, 10, outs[k++]!), 11).toFixed(2));
console.log('write only', medianMs(() => { for (let i = 0; i < out.length; i++) out[i] = i; }, 11).toFixed(2));
