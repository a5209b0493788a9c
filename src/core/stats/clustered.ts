// Cluster-robust inference on a mean (docs/statistics.md; stats.md §8). Trades are clustered by the
// calendar period of their entry, because trades entered in the same month (or day, intraday) share
// the market's moves and are not independent; an iid standard error would overstate the evidence.
//
// CR1 (Cameron & Miller 2015, "A Practitioner's Guide to Cluster-Robust Inference", J. Human Resources
// 50(2)), for the mean-only model: SE² = G/(G−1) · Σ_g (Σ_{i∈g} (e_i − ē))² / n², t = ē / SE.
// We use the G/(G−1) factor only, without (n−1)/(n−k), which for a mean-only model is (n−1)/n ≈ 1.

import { requireFinite, requireFiniteArray } from './validate.ts';

/** The minimum sample of any edge judgement: 30 trades in at least 12 calendar clusters. */
export const MIN_EDGE_TRADES = 30;
export const MIN_EDGE_CLUSTERS = 12;

export function hasMinimumSample(n: number, clusters: number, minTrades = MIN_EDGE_TRADES, minClusters = MIN_EDGE_CLUSTERS): boolean {
  return n >= minTrades && clusters >= minClusters;
}

const MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1440, w: 10080, M: 43200 };

/** Bar length in minutes of an interval string ("1m", "15m", "4h", "1d", "1w", "1M"); throws on anything else. */
function intervalMinutes(interval: string): number {
  const m = /^([1-9]\d*)([mhdwM])$/.exec(interval);
  if (m === null) throw new RangeError(`clusterKey: interval must look like 5m, 1h, 4h or 1d, got "${interval}"`);
  return Number(m[1]) * MINUTES[m[2]!]!;
}

/**
 * The calendar period of an entry, in UTC: the month ("YYYY-MM") at bars of 4h and longer, the day
 * ("YYYY-MM-DD") below 4h. Daily and 4h trades held for days share a month's market moves, and a day
 * would cut one dependent episode into many "independent" clusters; intraday trades rarely span days,
 * and a month would leave a short intraday sample with too few clusters to estimate anything.
 */
export function clusterKey(entryTimeMs: number, interval: string): string {
  requireFinite(entryTimeMs, 'clusterKey: entryTimeMs');
  const iso = new Date(entryTimeMs).toISOString();
  return intervalMinutes(interval) >= 240 ? iso.slice(0, 7) : iso.slice(0, 10);
}

/** Dense cluster ids (0 … G − 1, in order of first appearance) of the entries, and G. */
export function clusterIds(entryTimes: ArrayLike<number>, interval: string): { ids: Int32Array; G: number } {
  const seen = new Map<string, number>();
  const ids = new Int32Array(entryTimes.length);
  for (let i = 0; i < entryTimes.length; i++) {
    const k = clusterKey(entryTimes[i]!, interval);
    let id = seen.get(k);
    if (id === undefined) {
      id = seen.size;
      seen.set(k, id);
    }
    ids[i] = id;
  }
  return { ids, G: seen.size };
}

export interface ClusteredMean {
  n: number;
  /** Clusters with at least one observation. */
  G: number;
  mean: number;
  /** CR1 standard error; NaN when G < 2 (no between-cluster variation to estimate it from). */
  se: number;
  /**
   * mean / se. NaN when G < 2 (se is NaN) or when every cluster sum is 0 and the mean is 0 too (0/0);
   * ±Infinity when the cluster sums are all 0 but the mean is not (possible only in degenerate data).
   */
  t: number;
}

/** The largest id, after checking every id is an integer ≥ 0 (ids index a per-cluster array). */
function maxId(ids: ArrayLike<number>, what: string): number {
  let m = -1;
  for (let i = 0; i < ids.length; i++) {
    const g = ids[i]!;
    if (!Number.isInteger(g) || g < 0) throw new RangeError(`${what}: cluster id [${i}] must be an integer >= 0, got ${g}`);
    if (g > m) m = g;
  }
  return m;
}

/**
 * Mean, CR1 standard error and t of `e` with observation i in cluster `ids[i]` (integer ids ≥ 0, any
 * order, gaps allowed: G counts the ids that occur). n = 0 gives mean, se and t NaN. G = 1 gives se
 * and t NaN: one cluster has no between-cluster variation to estimate a standard error from, and
 * CR1's G/(G−1) is undefined; callers judge nothing below MIN_EDGE_CLUSTERS anyway.
 */
export function clusteredMean(e: ArrayLike<number>, ids: ArrayLike<number>): ClusteredMean {
  const n = e.length;
  if (ids.length !== n) throw new RangeError(`clusteredMean: ${n} values but ${ids.length} cluster ids`);
  requireFiniteArray(e, 'clusteredMean: e');
  const size = maxId(ids, 'clusteredMean') + 1;
  if (n === 0) return { n: 0, G: 0, mean: NaN, se: NaN, t: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += e[i]!;
  const mean = sum / n;
  const u = new Float64Array(size);
  const used = new Uint8Array(u.length);
  for (let i = 0; i < n; i++) {
    const g = ids[i]!;
    u[g] = u[g]! + (e[i]! - mean);
    used[g] = 1;
  }
  let G = 0;
  let ss = 0;
  for (let g = 0; g < u.length; g++) {
    if (used[g] === 0) continue;
    G++;
    ss += u[g]! * u[g]!;
  }
  if (G < 2) return { n, G, mean, se: NaN, t: NaN };
  const se = Math.sqrt(((G / (G - 1)) * ss) / (n * n));
  return { n, G, mean, se, t: mean / se };
}

export interface ClusteredPair {
  meanA: number;
  meanB: number;
  varA: number;
  varB: number;
  /** Cov(ē_A, ē_B): nonzero where A and B share clusters (e.g. a window inside the full sample). */
  cov: number;
  nA: number;
  nB: number;
  GA: number;
  GB: number;
}

/**
 * The means of two subsets A and B of the same observations (they may overlap) and their joint
 * cluster-robust covariance: with u_g^X = Σ_{i∈g∩X} (e_i − ē_X) / n_X,
 *   Var(ē_X) = c · Σ_g (u_g^X)²,  Cov(ē_A, ē_B) = c · Σ_g u_g^A · u_g^B,  c = G/(G−1),
 * G the clusters with an observation in A ∪ B (one factor for the whole 2×2 matrix, so it stays a
 * covariance matrix). It is the CR1 sandwich of the regression of e on the two indicators of A and B
 * when they are disjoint, and its stacked (seemingly unrelated) form when they overlap.
 * Because c uses G of A ∪ B, varA is c·Σ(u^A)² with G ≥ GA, a hair below clusteredMean on A alone
 * (factor GA/(GA−1)) when B reaches clusters A does not. G < 2 makes varA, varB and cov NaN; an
 * empty subset has mean NaN (and its variance and covariance NaN).
 */
export function clusteredCovariance(e: ArrayLike<number>, ids: ArrayLike<number>, inA: ArrayLike<number | boolean>, inB: ArrayLike<number | boolean>): ClusteredPair {
  const n = e.length;
  if (ids.length !== n || inA.length !== n || inB.length !== n) {
    throw new RangeError(`clusteredCovariance: values, ids and masks differ in length (${n}, ${ids.length}, ${inA.length}, ${inB.length})`);
  }
  requireFiniteArray(e, 'clusteredCovariance: e');
  let sA = 0, sB = 0, nA = 0, nB = 0;
  for (let i = 0; i < n; i++) {
    if (inA[i]) { sA += e[i]!; nA++; }
    if (inB[i]) { sB += e[i]!; nB++; }
  }
  const meanA = nA > 0 ? sA / nA : NaN;
  const meanB = nB > 0 ? sB / nB : NaN;
  const size = maxId(ids, 'clusteredCovariance') + 1;
  const uA = new Float64Array(size);
  const uB = new Float64Array(size);
  const inAny = new Uint8Array(size);
  const usedA = new Uint8Array(size);
  const usedB = new Uint8Array(size);
  for (let i = 0; i < n; i++) {
    const g = ids[i]!;
    if (inA[i]) { uA[g] = uA[g]! + (e[i]! - meanA) / nA; usedA[g] = 1; inAny[g] = 1; }
    if (inB[i]) { uB[g] = uB[g]! + (e[i]! - meanB) / nB; usedB[g] = 1; inAny[g] = 1; }
  }
  let G = 0, GA = 0, GB = 0, aa = 0, bb = 0, ab = 0;
  for (let g = 0; g < size; g++) {
    G += inAny[g]!;
    GA += usedA[g]!;
    GB += usedB[g]!;
    aa += uA[g]! * uA[g]!;
    bb += uB[g]! * uB[g]!;
    ab += uA[g]! * uB[g]!;
  }
  const c = G >= 2 ? G / (G - 1) : NaN;
  const varA = nA > 0 ? c * aa : NaN;
  const varB = nB > 0 ? c * bb : NaN;
  return { meanA, meanB, varA, varB, cov: nA > 0 && nB > 0 ? c * ab : NaN, nA, nB, GA, GB };
}
