// The stationary bootstrap of Politis & Romano (1994), "The stationary bootstrap", JASA 89(428):
// blocks start at uniform positions and have geometric lengths with mean b (p = 1/b), wrapping
// around the end of the sample. stats.md §5:
//   I_1 ~ U{0..n−1};  for t >= 2: with probability p a new I_t ~ U{0..n−1}, else I_t = (I_{t−1}+1) mod n
// A new block starts when u <= p and the current one continues when u > p — the semantics of arch
// `_samplers_python.py::stationary_bootstrap_sample_python`.
//
// Draw order (fixed, so the same `random` gives the same indices on every platform):
// position 0 draws one start; each later position draws u, and only when u <= p a start.
// A start is ⌊random()·n⌋.

import { requireAtLeast, requireIntegerAtLeast } from './validate.ts';

function drawStart(random: () => number, n: number): number {
  const u = random();
  if (!(u >= 0 && u < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${u}`);
  return Math.floor(u * n);
}

/**
 * One stationary-bootstrap resample of the positions 0..n−1 with mean block length `meanBlock`
 * (>= 1; 1 is the IID bootstrap). Writes into `out` when given (length n) and returns it.
 */
export function stationaryBootstrapIndices(n: number, meanBlock: number, random: () => number, out?: Int32Array): Int32Array {
  requireIntegerAtLeast(n, 1, 'stationaryBootstrapIndices: n');
  requireAtLeast(meanBlock, 1, 'stationaryBootstrapIndices: meanBlock');
  const idx = out ?? new Int32Array(n);
  if (idx.length !== n) throw new RangeError(`stationaryBootstrapIndices: out has length ${idx.length}, expected ${n}`);
  const p = 1 / meanBlock;
  idx[0] = drawStart(random, n);
  for (let t = 1; t < n; t++) {
    const u = random();
    if (!(u >= 0 && u < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${u}`);
    if (u <= p) idx[t] = drawStart(random, n);
    else {
      const next = idx[t - 1]! + 1;
      idx[t] = next === n ? 0 : next;
    }
  }
  return idx;
}

/**
 * The stationary-bootstrap recursion on pre-drawn variates, as arch draws them: one candidate
 * start and one uniform per position; position t >= 1 takes its start when u_t <= p and
 * continues the previous block when u_t > p (u_0 is ignored). stats.md §5 vector: starts
 * [3,0,5,1,2,4], u [.9,.1,.95,.2,.99,.5], p = 1/3 → [3,0,1,1,2,3].
 */
export function stationaryBootstrapFromDraws(starts: ArrayLike<number>, uniforms: ArrayLike<number>, p: number): Int32Array {
  const n = starts.length;
  if (n < 1 || uniforms.length !== n) throw new RangeError(`stationaryBootstrapFromDraws: need equal, non-zero lengths, got ${n} and ${uniforms.length}`);
  if (!(p > 0 && p <= 1)) throw new RangeError(`stationaryBootstrapFromDraws: p must be in (0, 1], got ${p}`);
  const idx = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const s = starts[t]!;
    if (!Number.isInteger(s) || s < 0 || s >= n) throw new RangeError(`starts[${t}] must be an integer in [0, ${n}), got ${s}`);
    idx[t] = t === 0 || uniforms[t]! <= p ? s : (idx[t - 1]! + 1) % n;
  }
  return idx;
}
