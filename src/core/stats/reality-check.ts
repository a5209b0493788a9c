// Data-snooping tests over K models against one benchmark, with the stationary bootstrap:
// White (2000) "A reality check for data snooping", Econometrica 68(5), and Hansen (2005)
// "A test for superior predictive ability", JBES 23(4). Exactly stats.md §5:
//   d_{k,t} = L_{0,t} − L_{k,t}   (for strategies L = −return: d = r_k − r_benchmark)
//   White RC:  V = max_k √n·d̄_k;   V*_b = max_k √n·(d̄*_{k,b} − d̄_k);   p = #{V*_b > V}/B
//   Hansen SPA: T = max(0, max_k √n·d̄_k/ω_k);  T*_b = max(0, max_k √n·(d̄*_{k,b} − μ_k)/ω_k);  p = #{T*_b > T}/B
//     ω_k² = γ_0 + 2·Σ_{i=1}^{n−1} κ_i·γ_i,  κ_i = (1 − i/n)(1−q)^i + (i/n)(1−q)^{n−i},  q = 1/b,  γ_i = autocov/n
//     μ_k: lower = max(d̄_k, 0); consistent = d̄_k·1{d̄_k >= −√(ω_k²/n·2 ln ln n)}; upper = d̄_k (= RC recentring)
// `studentize: false` drops the division by ω_k (ω still sets the consistent threshold): that is what
// arch's SPA.compute() actually computes (stats.md §5 pitfall) — except that arch also omits the
// max(0, ·) floor, which only matters when every model is worse than the benchmark on average.
// Every replicate resamples the same bars for all models (the cross-correlation is kept), using
// stationaryBootstrapIndices with `random`; block sums come from prefix sums, O(K·n/b) per replicate.

import { autocovariances } from './autocovariance.ts';
import { stationaryBootstrapIndices } from './bootstrap.ts';
import { requireAtLeast, requireIntegerAtLeast } from './validate.ts';

export interface DataSnoopingInput {
  /** d_k per model: d_{k,t} = benchmark loss − model loss (= r_k,t − r_bench,t for L = −return). */
  readonly differentials: ReadonlyArray<ArrayLike<number>>;
  /** Mean block length b of the stationary bootstrap (>= 1). See optimalStationaryBlockLength. */
  readonly meanBlock: number;
  /** B, bootstrap replications (default 1000; use >= 999 for gates). */
  readonly replications?: number;
  /** Uniform [0, 1) generator — the only randomness (seed it). */
  readonly random: () => number;
}

export interface RealityCheckResult {
  /** V = max_k √n·d̄_k. */
  readonly statistic: number;
  readonly pValue: number;
  /** d̄_k per model. */
  readonly meanDifferential: Float64Array;
}

export interface SpaInput extends DataSnoopingInput {
  /** Divide by ω_k (Hansen's SPA, default true); false = arch-style non-studentized statistic. */
  readonly studentize?: boolean;
}

export interface SpaResult {
  /** T = max(0, max_k √n·d̄_k/ω_k) (or without /ω_k when not studentized). */
  readonly statistic: number;
  readonly pValues: { readonly lower: number; readonly consistent: number; readonly upper: number };
  readonly meanDifferential: Float64Array;
  /** ω_k, the stationary-bootstrap long-run standard deviation of d_k. */
  readonly omega: Float64Array;
}

/** d_{k,t} = r_{k,t} − r_{0,t}: performance differentials of strategies against a benchmark (L = −return). */
export function performanceDifferentials(modelReturns: ReadonlyArray<ArrayLike<number>>, benchmarkReturns: ArrayLike<number>): Float64Array[] {
  const n = benchmarkReturns.length;
  return modelReturns.map((r, k) => {
    if (r.length !== n) throw new RangeError(`model ${k} has ${r.length} returns, benchmark has ${n}`);
    return Float64Array.from({ length: n }, (_, t) => r[t]! - benchmarkReturns[t]!);
  });
}

/** √(2·ln ln n), Hansen's threshold multiplier for the consistent recentring (stats.md §5: n = 1000 → 1.9660339). */
export function spaConsistentThreshold(n: number): number {
  requireAtLeast(n, 3, 'spaConsistentThreshold: n');
  return Math.sqrt(2 * Math.log(Math.log(n)));
}

/**
 * ω² = γ_0 + 2·Σ_{i=1}^{n−1} κ_i·γ_i with Hansen's stationary-bootstrap kernel
 * κ_i = (1 − i/n)(1−q)^i + (i/n)(1−q)^{n−i}, q = 1/meanBlock (Hansen 2005; stats.md §5).
 */
export function stationaryBootstrapLongRunVariance(x: ArrayLike<number>, meanBlock: number): number {
  const n = x.length;
  if (n < 2) throw new RangeError(`stationaryBootstrapLongRunVariance: need at least 2 observations, got ${n}`);
  requireAtLeast(meanBlock, 1, 'meanBlock');
  return longRunVariance(demean(x, 'x').e, kernel(n, 1 / meanBlock));
}

function kernel(n: number, q: number): Float64Array {
  const k = new Float64Array(n);
  const lq = Math.log1p(-q); // (1 − q)^i via exp(i·ln(1 − q)); q = 1 makes every κ_i 0
  for (let i = 1; i < n; i++) {
    k[i] = q === 1 ? 0 : (1 - i / n) * Math.exp(i * lq) + (i / n) * Math.exp((n - i) * lq);
  }
  return k;
}

function longRunVariance(e: Float64Array, kappa: Float64Array): number {
  const g = autocovariances(e);
  let s = 0;
  for (let i = g.length - 1; i >= 1; i--) s += kappa[i]! * g[i]!;
  return Math.max(0, g[0]! + 2 * s);
}

function demean(x: ArrayLike<number>, what: string): { e: Float64Array; mean: number; constant: boolean } {
  const n = x.length;
  let s = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) throw new RangeError(`${what}[${t}] must be finite, got ${v}`);
    s += v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  let mean = s / n;
  let r = 0;
  for (let t = 0; t < n; t++) r += x[t]! - mean;
  mean += r / n;
  const constant = lo === hi;
  if (constant) mean = lo;
  const e = Float64Array.from({ length: n }, (_, t) => (constant ? 0 : x[t]! - mean));
  return { e, mean, constant };
}

interface Prepared {
  readonly n: number;
  readonly k: number;
  readonly mean: Float64Array;
  readonly constant: Uint8Array;
  /** prefix[k][t] = Σ_{s<t} e_{k,s}, e = d − d̄ */
  readonly prefix: Float64Array[];
  readonly e: Float64Array[];
  readonly replications: number;
}

function prepare(input: DataSnoopingInput, what: string): Prepared {
  const { differentials, meanBlock, replications = 1000, random } = input;
  const k = differentials.length;
  if (k < 1) throw new RangeError(`${what}: need at least one model`);
  const n = differentials[0]!.length;
  if (n < 2) throw new RangeError(`${what}: need at least 2 observations, got ${n}`);
  requireAtLeast(meanBlock, 1, `${what}: meanBlock`);
  requireIntegerAtLeast(replications, 1, `${what}: replications`);
  if (typeof random !== 'function') throw new RangeError(`${what}: random must be a function`);
  const mean = new Float64Array(k);
  const constant = new Uint8Array(k);
  const prefix: Float64Array[] = [];
  const es: Float64Array[] = [];
  differentials.forEach((d, j) => {
    if (d.length !== n) throw new RangeError(`${what}: model ${j} has ${d.length} observations, model 0 has ${n}`);
    const { e, mean: m, constant: c } = demean(d, `${what}: differentials[${j}]`);
    mean[j] = m;
    constant[j] = c ? 1 : 0;
    const p = new Float64Array(n + 1);
    for (let t = 0; t < n; t++) p[t + 1] = p[t]! + e[t]!;
    prefix.push(p);
    es.push(e);
  });
  return { n, k, mean, constant, prefix, e: es, replications };
}

/**
 * Runs the bootstrap: for each replicate, calls `visit(centred)` where centred[k] = d̄*_k − d̄_k.
 * The resample is cut into maximal runs of consecutive positions (mod n) and each run is summed
 * from the prefix sums.
 */
function bootstrap(p: Prepared, meanBlock: number, random: () => number, visit: (centred: Float64Array) => void): void {
  const { n, k, prefix } = p;
  const idx = new Int32Array(n);
  const runStart = new Int32Array(n);
  const runLength = new Int32Array(n);
  const centred = new Float64Array(k);
  for (let b = 0; b < p.replications; b++) {
    stationaryBootstrapIndices(n, meanBlock, random, idx);
    let runs = 0;
    runStart[0] = idx[0]!;
    runLength[0] = 1;
    for (let t = 1; t < n; t++) {
      const prev = idx[t - 1]! + 1;
      if (idx[t] === (prev === n ? 0 : prev)) runLength[runs]!++;
      else {
        runs++;
        runStart[runs] = idx[t]!;
        runLength[runs] = 1;
      }
    }
    runs++;
    for (let j = 0; j < k; j++) {
      const P = prefix[j]!;
      let s = 0;
      for (let r = 0; r < runs; r++) {
        const a = runStart[r]!;
        const end = a + runLength[r]!;
        s += end <= n ? P[end]! - P[a]! : P[n]! - P[a]! + P[end - n]!;
      }
      centred[j] = s / n;
    }
    visit(centred);
  }
}

/**
 * White's Reality Check p-value (White 2000; stats.md §5): H0 "no model beats the benchmark";
 * V = max_k √n·d̄_k against V*_b = max_k √n·(d̄*_{k,b} − d̄_k), p = #{V*_b > V}/B (strict).
 */
export function whiteRealityCheck(input: DataSnoopingInput): RealityCheckResult {
  const p = prepare(input, 'whiteRealityCheck');
  const rootN = Math.sqrt(p.n);
  let statistic = -Infinity;
  for (let j = 0; j < p.k; j++) statistic = Math.max(statistic, rootN * p.mean[j]!);
  let exceed = 0;
  bootstrap(p, input.meanBlock, input.random, (c) => {
    let v = -Infinity;
    for (let j = 0; j < p.k; j++) v = Math.max(v, rootN * c[j]!);
    if (v > statistic) exceed++;
  });
  return { statistic, pValue: exceed / p.replications, meanDifferential: p.mean };
}

/**
 * Hansen's SPA p-values — lower, consistent, upper recentring (Hansen 2005; stats.md §5).
 * Studentized by ω_k (stationary-bootstrap kernel variance) unless `studentize: false`.
 * A model whose differential is constant has ω = 0: its bootstrap deviation is exactly 0, so it
 * contributes sign(d̄_k − μ_k)·∞ (or 0) instead of 0/0.
 */
export function hansenSpa(input: SpaInput): SpaResult {
  const p = prepare(input, 'hansenSpa');
  const { n, k } = p;
  const studentize = input.studentize ?? true;
  const rootN = Math.sqrt(n);
  const kappa = kernel(n, 1 / input.meanBlock);
  const omega = new Float64Array(k);
  for (let j = 0; j < k; j++) omega[j] = p.constant[j] ? 0 : Math.sqrt(longRunVariance(p.e[j]!, kappa));
  const loglog = 2 * Math.log(Math.log(n));
  // μ_k for lower, consistent, upper: the bootstrap term is c_k + d̄_k − μ_k with c_k = d̄*_k − d̄_k.
  const shift = [new Float64Array(k), new Float64Array(k), new Float64Array(k)] as const;
  for (let j = 0; j < k; j++) {
    const m = p.mean[j]!;
    const consistentMu = n >= 3 && m >= -Math.sqrt(((omega[j]! * omega[j]!) / n) * loglog) ? m : 0;
    shift[0][j] = m - Math.max(m, 0);
    shift[1][j] = m - consistentMu;
    shift[2][j] = 0;
  }
  const scale = (j: number, x: number): number => {
    if (!studentize) return rootN * x;
    const w = omega[j]!;
    if (w > 0) return (rootN * x) / w;
    return x === 0 ? 0 : x > 0 ? Infinity : -Infinity;
  };
  let statistic = 0;
  for (let j = 0; j < k; j++) statistic = Math.max(statistic, scale(j, p.mean[j]!));
  const exceed = [0, 0, 0];
  bootstrap(p, input.meanBlock, input.random, (c) => {
    for (let v = 0; v < 3; v++) {
      const s = shift[v]!;
      let t = 0;
      for (let j = 0; j < k; j++) {
        // Constant models: c_j is exactly 0 in exact arithmetic; use it so rounding cannot leak in.
        const x = (p.constant[j] ? 0 : c[j]!) + s[j]!;
        const z = scale(j, x);
        if (z > t) t = z;
      }
      if (t > statistic) exceed[v]!++;
    }
  });
  const B = p.replications;
  return {
    statistic,
    pValues: { lower: exceed[0]! / B, consistent: exceed[1]! / B, upper: exceed[2]! / B },
    meanDifferential: p.mean,
    omega,
  };
}
