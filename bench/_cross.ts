import { randomWalkBars } from './random-walk.ts';
import { medianMs } from './timing.ts';
import { sma } from '../src/engine/indicators/sma.ts';
const b = randomWalkBars(1_000_000, 42);
const A = sma(b.close, 10), B = sma(b.close, 40);
const out = new Uint8Array(A.length);
const U = 2;
function v1(A: Float64Array, B: Float64Array, out: Uint8Array) { out[0] = U; let px = A[0]!, py = B[0]!; for (let i = 1; i < out.length; i++) { const x = A[i]!, y = B[i]!; out[i] = x === x && y === y && px === px && py === py ? (+(x > y) & +(px <= py)) : U; px = x; py = y; } }
function v2(A: Float64Array, B: Float64Array, out: Uint8Array) { out[0] = U; let prev = A[0]! - B[0]!; for (let i = 1; i < out.length; i++) { const d = A[i]! - B[i]!; out[i] = d !== d || prev !== prev ? U : (d > 0 && prev <= 0 ? 1 : 0); prev = d; } }
function v3(A: Float64Array, B: Float64Array, out: Uint8Array) { out[0] = U; let wasBelow = 0; let prevNaN = 1; for (let i = 1; i < out.length; i++) { const x = A[i]!, y = B[i]!; const nan = (x !== x || y !== y) ? 1 : 0; const above = x > y ? 1 : 0; out[i] = (nan | prevNaN) !== 0 ? U : above & wasBelow; wasBelow = x <= y ? 1 : 0; prevNaN = nan; } }
function v4(A: Float64Array, B: Float64Array, out: Uint8Array) { out[0] = U; let px = A[0]!, py = B[0]!; for (let i = 1; i < out.length; i++) { const x = A[i]!, y = B[i]!; if (x > y) out[i] = px <= py ? 1 : (px > py ? 0 : U); else if (x <= y) out[i] = px === px && py === py ? 0 : U; else out[i] = U; px = x; py = y; } }
for (const [n, f] of [['v1', v1], ['v2', v2], ['v3', v3], ['v4', v4]] as const) console.log(n, medianMs(() => f(A, B, out), 15).toFixed(2));
function s1(A: Float64Array, B: Float64Array, out: Uint8Array) { for (let i = 0; i < out.length; i++) out[i] = A[i]! > B[i]! ? 1 : 0; }
function s2(A: Float64Array, B: Float64Array, out: Uint8Array) { for (let i = 0; i < out.length; i++) out[i] = +(A[i]! > B[i]!); }
function s3(A: Float64Array, B: Float64Array) { let s = 0; for (let i = 0; i < A.length; i++) s += A[i]! + B[i]!; return s; }
const fa = new Float64Array(A.length);
function s4(A: Float64Array, B: Float64Array, o: Float64Array) { for (let i = 0; i < A.length; i++) o[i] = A[i]! - B[i]!; }
for (const [n, f] of [['s1', () => s1(A, B, out)], ['s2', () => s2(A, B, out)], ['s3 sum2', () => s3(A, B)], ['s4 sub', () => s4(A, B, fa)]] as const) console.log(n, medianMs(f, 15).toFixed(2));
