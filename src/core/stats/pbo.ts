// Probability of Backtest Overfitting by Combinatorially Symmetric Cross-Validation (CSCV):
// Bailey, Borwein, López de Prado & Zhu (2017) "The Probability of Backtest Overfitting",
// J. Computational Finance 20(4) (SSRN 2326253). Exactly as stats.md §3:
//   M: T×N (rows = bars, columns = trials); S even; the first T mod S rows are dropped (pypbo);
//   S contiguous blocks of T/S rows; for each of the C(S, S/2) splits C in lexicographic order:
//     J = rows of the blocks in C (time order kept), J̄ = the rest;
//     R, R̄ = metric per trial on J, J̄;  n* = argmax R (first max);
//     r = rank of R̄[n*] within R̄ (1 = worst, ties = average);  ω = r/(N+1);  λ = ln(ω/(1−ω))
//   PBO = #{λ <= 0} / #splits   (λ = 0, the OOS median, counts as overfit)
//   degradation: OLS R̄[n*] = a + b·R[n*] over splits (b < 0 ⇒ overfit); P(loss) = #{R̄[n*] < thr}/#splits
// Speed: the built-in metrics need only per-block sums, so each split costs O(N·S), not O(T·N)
// (IS = chosen blocks, OOS = total − IS): T = 5000, N = 200, S = 16 (12 870 splits) takes ~0.3 s.

import { binomial, nextCombination } from './combinations.ts';

/**
 * Per-bar returns of N trials over T bars: one Float64Array column per trial (all of length T),
 * or a flat row-major T×N array (`values[t·N + n]`).
 */
export type ReturnsMatrix =
  | ReadonlyArray<Float64Array>
  | { readonly values: Float64Array; readonly bars: number; readonly trials: number };

/**
 * The selection metric. 'sharpe' = per-bar mean/std(ddof 1), 0 when std = 0 (DESIGN §5), the
 * paper's choice; 'mean' = mean return. A function gets one trial's returns over a half (blocks
 * concatenated in time order) and costs O(T·N) per split — use it for metrics that need the path.
 * Use the SAME metric the optimizer used to select (stats.md §3 pitfall).
 */
export type PboMetric = 'sharpe' | 'mean' | ((returns: Float64Array) => number);

export interface PboOptions {
  /** S, the number of contiguous blocks: even, >= 2 (default 16, as the paper suggests). */
  readonly blocks?: number;
  /** Selection metric (default 'sharpe'). */
  readonly metric?: PboMetric;
  /** P(OOS loss) counts R̄[n*] < lossThreshold (default 0: for Sharpe or mean; 1 for Omega). */
  readonly lossThreshold?: number;
}

export interface LogitSummary {
  readonly mean: number;
  readonly median: number;
  /** Sample standard deviation (ddof 1); 0 with a single split. */
  readonly stdDev: number;
  readonly min: number;
  readonly max: number;
}

export interface PboResult {
  /** #{λ <= 0} / #splits. */
  readonly pbo: number;
  /** C(S, S/2). */
  readonly combinations: number;
  readonly blocks: number;
  /** Rows per block, T' / S. */
  readonly blockSize: number;
  /** Leading rows dropped so that S divides T (T mod S). */
  readonly droppedBars: number;
  /** λ per split, lexicographic split order. */
  readonly logits: Float64Array;
  readonly logitSummary: LogitSummary;
  /** n* per split (0-based trial index). */
  readonly bestTrial: Int32Array;
  /** OOS rank r of n* per split (1 = worst, average ties). */
  readonly oosRank: Float64Array;
  /** R[n*] per split (in-sample metric of the selected trial). */
  readonly isPerformance: Float64Array;
  /** R̄[n*] per split (its out-of-sample metric). */
  readonly oosPerformance: Float64Array;
  /** #{R̄[n*] < lossThreshold} / #splits. */
  readonly probOosLoss: number;
  /** OLS of R̄[n*] on R[n*] (x = IS, y = OOS, as pypbo; NaN slope if IS never varies). */
  readonly degradation: { readonly slope: number; readonly intercept: number; readonly rSquared: number };
}

interface Matrix {
  readonly bars: number;
  readonly trials: number;
  at(t: number, n: number): number;
}

function asMatrix(m: ReturnsMatrix): Matrix {
  if (Array.isArray(m)) {
    const cols = m as ReadonlyArray<Float64Array>;
    const trials = cols.length;
    if (trials < 1) throw new RangeError('PBO: need at least one trial column');
    const bars = cols[0]!.length;
    cols.forEach((c, n) => {
      if (!(c instanceof Float64Array)) throw new RangeError(`PBO: column ${n} must be a Float64Array`);
      if (c.length !== bars) throw new RangeError(`PBO: column ${n} has ${c.length} bars, column 0 has ${bars}`);
    });
    return { bars, trials, at: (t, n) => cols[n]![t]! };
  }
  const { values, bars, trials } = m as { values: Float64Array; bars: number; trials: number };
  if (!Number.isInteger(bars) || !Number.isInteger(trials) || bars < 0 || trials < 1) {
    throw new RangeError(`PBO: bars and trials must be non-negative integers (trials >= 1), got ${bars}×${trials}`);
  }
  if (values.length !== bars * trials) throw new RangeError(`PBO: values has ${values.length} entries, expected bars×trials = ${bars * trials}`);
  return { bars, trials, at: (t, n) => values[t * trials + n]! };
}

function summarise(x: Float64Array): LogitSummary {
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  let s = 0;
  for (const v of x) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of x) ss += (v - mean) * (v - mean);
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : 0.5 * (sorted[n / 2 - 1]! + sorted[n / 2]!);
  return { mean, median, stdDev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min: sorted[0]!, max: sorted[n - 1]! };
}

function regress(x: Float64Array, y: Float64Array): PboResult['degradation'] {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx, rSquared: sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : NaN };
}

/**
 * Per-block, per-trial sums, laid out [block][trial][raw, dev, dev²]. The mean uses raw sums
 * (exact for integer data, so equal means tie exactly); the variance uses sums of x − c_n with
 * c_n = the trial's first return, so a large common level does not cancel and a constant trial
 * has variance exactly 0.
 */
class BlockSums {
  private readonly sums: Float64Array;
  private readonly trials: number;

  constructor(m: Matrix, blocks: number, dropped: number, size: number) {
    const N = m.trials;
    this.trials = N;
    this.sums = new Float64Array(blocks * N * 3);
    const shift = new Float64Array(N);
    for (let n = 0; n < N; n++) shift[n] = m.at(dropped, n);
    const s = this.sums;
    for (let b = 0; b < blocks; b++) {
      for (let t = dropped + b * size; t < dropped + (b + 1) * size; t++) {
        for (let n = 0, o = b * N * 3; n < N; n++, o += 3) {
          const v = m.at(t, n);
          const d = v - shift[n]!;
          s[o] = s[o]! + v;
          s[o + 1] = s[o + 1]! + d;
          s[o + 2] = s[o + 2]! + d * d;
        }
      }
    }
  }

  /** acc[3n..3n+2] = sums over the chosen blocks for trial n. */
  accumulate(chosen: Int32Array, acc: Float64Array): void {
    const s = this.sums;
    const width = this.trials * 3;
    acc.fill(0);
    for (let i = 0; i < chosen.length; i++) {
      const base = chosen[i]! * width;
      for (let j = 0; j < width; j++) acc[j] = acc[j]! + s[base + j]!;
    }
  }

  /** Sums over every block. */
  total(): Float64Array {
    const acc = new Float64Array(this.trials * 3);
    const blocks = this.sums.length / acc.length;
    this.accumulate(Int32Array.from({ length: blocks }, (_, b) => b), acc);
    return acc;
  }
}

/** Mean or Sharpe (ddof 1; 0 when the variance is 0, DESIGN §5) per trial from accumulated sums. */
function fromSums(acc: Float64Array, trials: number, count: number, sharpe: boolean, out: Float64Array): void {
  for (let n = 0, o = 0; n < trials; n++, o += 3) {
    const mu = acc[o]! / count;
    if (!sharpe) {
      out[n] = mu;
      continue;
    }
    const d = acc[o + 1]!;
    const v = (acc[o + 2]! - (d * d) / count) / (count - 1);
    out[n] = v > 0 ? mu / Math.sqrt(v) : 0;
  }
}

/**
 * Probability of Backtest Overfitting via CSCV (Bailey, Borwein, López de Prado & Zhu 2017;
 * stats.md §3, toy vector: PBO = 0.666667, P(loss) = 0.833333, slope −0.7815934 with 'mean').
 * ω = r/(N+1) (paper, pypbo — not the R `pbo` package's r/N); λ <= 0 counts as overfit.
 * Returns must be finite; N >= 2 (selection among one trial is meaningless); each half must
 * hold >= 2 bars for the Sharpe metric.
 */
export function probabilityOfBacktestOverfitting(returns: ReturnsMatrix, options: PboOptions = {}): PboResult {
  const { blocks: S = 16, metric = 'sharpe', lossThreshold = 0 } = options;
  const m = asMatrix(returns);
  const T = m.bars;
  const N = m.trials;
  if (!Number.isInteger(S) || S < 2 || S % 2 !== 0) throw new RangeError(`PBO: blocks S must be an even integer >= 2, got ${S}`);
  if (N < 2) throw new RangeError(`PBO: need N >= 2 trials to select among, got ${N}`);
  if (!Number.isFinite(lossThreshold)) throw new RangeError(`PBO: lossThreshold must be finite, got ${lossThreshold}`);
  if (T < S) throw new RangeError(`PBO: need T >= S bars (T = ${T}, S = ${S})`);
  const dropped = T % S;
  const size = (T - dropped) / S;
  const half = (S / 2) * size;
  if (metric === 'sharpe' && half < 2) throw new RangeError(`PBO: each half has ${half} bar(s); the Sharpe metric needs >= 2`);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      const v = m.at(t, n);
      if (!Number.isFinite(v)) throw new RangeError(`PBO: returns[bar ${t}][trial ${n}] must be finite, got ${v}`);
    }
  }

  const count = binomial(S, S / 2);
  const logits = new Float64Array(count);
  const bestTrial = new Int32Array(count);
  const oosRank = new Float64Array(count);
  const isPerf = new Float64Array(count);
  const oosPerf = new Float64Array(count);
  const R = new Float64Array(N);
  const Rbar = new Float64Array(N);
  const inC = new Uint8Array(S);
  const complement = new Int32Array(S / 2);

  // evaluate(chosen, complement, R, Rbar): the metric of every trial on the rows of the
  // `chosen` blocks (R) and of the complement (R̄).
  let evaluate: (chosen: Int32Array, complement: Int32Array, is: Float64Array, oos: Float64Array) => void;
  if (typeof metric === 'function') {
    const series = new Float64Array(half);
    const onHalf = (chosen: Int32Array, out: Float64Array): void => {
      for (let n = 0; n < N; n++) {
        let k = 0;
        for (let i = 0; i < chosen.length; i++) {
          const start = dropped + chosen[i]! * size;
          for (let t = start; t < start + size; t++) series[k++] = m.at(t, n);
        }
        const v = metric(series);
        if (Number.isNaN(v)) throw new RangeError(`PBO: metric returned NaN for trial ${n}`);
        out[n] = v;
      }
    };
    evaluate = (chosen, complement, is, oos) => {
      onHalf(chosen, is);
      onHalf(complement, oos);
    };
  } else if (metric === 'sharpe' || metric === 'mean') {
    const sums = new BlockSums(m, S, dropped, size);
    const total = sums.total();
    const acc = new Float64Array(3 * N);
    const sharpe = metric === 'sharpe';
    // R̄ from total − IS halves the work; each trial still goes through identical operations,
    // so identical trials still tie exactly.
    evaluate = (chosen, _complement, is, oos) => {
      sums.accumulate(chosen, acc);
      fromSums(acc, N, half, sharpe, is);
      for (let j = 0; j < acc.length; j++) acc[j] = total[j]! - acc[j]!;
      fromSums(acc, N, half, sharpe, oos);
    };
  } else {
    throw new RangeError(`PBO: unknown metric ${String(metric)}`);
  }

  let overfit = 0;
  let losses = 0;
  const h = S / 2;
  const chosen = Int32Array.from({ length: h }, (_, i) => i); // lexicographic k-subsets, as itertools
  for (let c = 0; c < count; c++) {
    inC.fill(0);
    for (let i = 0; i < h; i++) inC[chosen[i]!] = 1;
    for (let b = 0, k = 0; b < S; b++) if (inC[b] === 0) complement[k++] = b;
    evaluate(chosen, complement, R, Rbar);
    let best = 0;
    for (let n = 1; n < N; n++) if (R[n]! > R[best]!) best = n;
    const v = Rbar[best]!;
    let less = 0;
    let equal = 0;
    for (let n = 0; n < N; n++) {
      const x = Rbar[n]!;
      if (x < v) less++;
      else if (x === v) equal++;
    }
    const rank = less + (equal + 1) / 2;
    const w = rank / (N + 1);
    const lambda = Math.log(w / (1 - w));
    logits[c] = lambda;
    bestTrial[c] = best;
    oosRank[c] = rank;
    isPerf[c] = R[best]!;
    oosPerf[c] = v;
    if (lambda <= 0) overfit++;
    if (v < lossThreshold) losses++;
    nextCombination(chosen, S);
  }

  return {
    pbo: overfit / count,
    combinations: count,
    blocks: S,
    blockSize: size,
    droppedBars: dropped,
    logits,
    logitSummary: summarise(logits),
    bestTrial,
    oosRank,
    isPerformance: isPerf,
    oosPerformance: oosPerf,
    probOosLoss: losses / count,
    degradation: regress(isPerf, oosPerf),
  };
}
