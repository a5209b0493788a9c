import { randomWalkBars } from './random-walk.ts';
import { medianMs } from './timing.ts';
const b = randomWalkBars(1_000_000, 42);
const eq = Float64Array.from(b.close, (x) => x / 100);
const pos = new Int8Array(eq.length).fill(1);
const mp = () => { let a = 0; for (let i = 0; i < b.open.length; i++) a += b.open[i]! + b.high[i]! + b.low[i]! + b.close[i]! + b.volume[i]!; return a; };
function m1(e: Float64Array) { let s = 0, s2 = 0, prev = e[0]!; for (let t = 1; t < e.length; t++) { const x = e[t]!; const r = x / prev - 1; prev = x; s += r; s2 += r * r; } return s + s2; }
function m2(e: Float64Array) { let s = 0, s2 = 0; for (let t = 1; t < e.length; t++) { const r = e[t]! / e[t - 1]! - 1; s += r; s2 += r * r; } return s + s2; }
function m3(e: Float64Array, p: Int8Array) { let s = 0, s2 = 0, dn = 0, pk = e[0]!, md = 0, o = 0; for (let t = 1; t < e.length; t++) { const x = e[t]!; const r = x / e[t - 1]! - 1; s += r; s2 += r * r; const d = Math.min(r, 0); dn += d * d; pk = Math.max(pk, x); if (x < pk * (1 - md)) md = 1 - x / pk; o += +(p[t] !== 0); } return s + s2 + dn + md + o; }
console.log('mp', medianMs(mp, 21).toFixed(2));
console.log('m1 prev var', medianMs(() => m1(eq), 21).toFixed(2));
console.log('m2 e[t-1]', medianMs(() => m2(eq), 21).toFixed(2));
console.log('m3 full', medianMs(() => m3(eq, pos), 21).toFixed(2));
function a1(e: Float64Array) { let dn = 0; for (let t = 1; t < e.length; t++) { const r = e[t]! / e[t - 1]! - 1; const d = Math.min(r, 0); dn += d * d; } return dn; }
function a2(e: Float64Array) { let pk = e[0]!; for (let t = 1; t < e.length; t++) { pk = Math.max(pk, e[t]!); } return pk; }
function a3(e: Float64Array) { let pk = e[0]!, md = 0; for (let t = 1; t < e.length; t++) { const x = e[t]!; pk = x > pk ? x : pk; if (x < pk * (1 - md)) md = 1 - x / pk; } return md; }
function a4(p: Int8Array) { let o = 0; for (let t = 1; t < p.length; t++) o += +(p[t] !== 0); return o; }
function a5(p: Int8Array) { let o = 0; for (let t = 1; t < p.length; t++) if (p[t] !== 0) o++; return o; }
function a6(e: Float64Array) { let dn = 0; for (let t = 1; t < e.length; t++) { const r = e[t]! / e[t - 1]! - 1; dn += r < 0 ? r * r : 0; } return dn; }
for (const [n, f] of [['a1 min', () => a1(eq)], ['a2 max', () => a2(eq)], ['a3 dd', () => a3(eq)], ['a4 +cmp', () => a4(pos)], ['a5 if', () => a5(pos)], ['a6 ternary', () => a6(eq)]] as const) console.log(n, medianMs(f, 21).toFixed(2));
function a7(e: Float64Array) { let dn = 0; for (let t = 1; t < e.length; t++) { const r = e[t]! / e[t - 1]! - 1; const d = (r - Math.abs(r)) * 0.5; dn += d * d; } return dn; }
console.log('a7 abs', medianMs(() => a7(eq), 21).toFixed(2));
