/**
 * The benchmark's accounting, from the verdict rows alone (pure; the test recomputes it by hand).
 *
 * - A promotion is TRUE when the market carries a planted edge, the spec matches its kind (the
 *   pairing rule in integrity-suite.ts) and the promoted tested set holds at least one symbol of
 *   the edge's sector; every other promotion is FALSE (on noise there is nothing to find; a
 *   non-matching spec or a set without edge symbols can only have found noise).
 * - fdr = false promotions ÷ all promotions (0 when nothing was promoted: no discovery, no false one).
 * - noise_false_promotion_rate = promotions on noise markets ÷ noise market × spec sessions.
 * - power = edge markets where at least one matching spec made a true promotion ÷ edge markets;
 *   pair_power = true promotions ÷ matching edge market × spec sessions.
 * - median_credits: the median of credits spent per session (mean of the middle two when even).
 * - kills: sessions by outcome — DEAD:<gate>, FROZEN, KILLED, PROMOTED, ERROR (a bug: must be 0);
 *   kills_by_verdict: the same with FROZEN split by why (insufficient evidence, budget exhausted, nothing left to propose, other).
 * - noise_by_kind: the false-promotion rate and median credits per noise kind (synthetic, drift, permuted).
 * - pair_power_by: true promotions ÷ matching edge sessions, by the session's oracle-t band (the scope's
 *   and the edge symbols' own), by share of symbols carrying the edge, by interval, by kind, and band ×
 *   share. Bands are per session because the oracle t is the matching spec's own.
 */
import type { RunRow } from './integrity-run.ts';
import { BANDS } from './integrity-oracle.ts';

/** The gates in the order the loop applies them; a session dies at the first that FAILs (INSUFFICIENT buys evidence). */
export const GATE_ORDER = ['complexity', 'causality', 'viability', 'edge', 'distribution', 'robustness', 'multiple_testing', 'confirmation'] as const;

export type Group = 'noise' | 'edge_matching' | 'edge_other';

export function groupOf(r: Pick<RunRow, 'market_kind' | 'matching'>): Group {
  return r.market_kind === 'noise' ? 'noise' : r.matching ? 'edge_matching' : 'edge_other';
}

export interface GateLine {
  gate: string;
  /** Sessions of each group this gate killed. */
  killed: Record<Group, number>;
  /** Sessions of each group still alive after this gate (not killed by it or an earlier one). */
  alive_after: Record<Group, number>;
}

export interface Breakdown {
  key: string;
  edge_markets: number;
  found: number;
  power: number;
}

export interface Score {
  sessions: number;
  promotions: number;
  false_promotions: number;
  fdr: number;
  noise_sessions: number;
  noise_promotions: number;
  noise_false_promotion_rate: number;
  /** One-sided 95 % upper bound on the noise rate (exact binomial; sessions on one market are not independent, so it flatters a little). */
  noise_false_promotion_upper95: number;
  edge_markets: number;
  edge_markets_found: number;
  power: number;
  matching_sessions: number;
  true_promotions: number;
  pair_power: number;
  median_credits: number;
  median_credits_by_group: Record<Group, number | null>;
  kills: Record<string, number>;
  kills_by_group: Record<Group, Record<string, number>>;
  per_gate: GateLine[];
  power_by: { kind: Breakdown[]; interval: Breakdown[]; strength: Breakdown[]; edge_share: Breakdown[] };
  kills_by_verdict: Record<string, number>;
  kills_by_verdict_group: Record<Group, Record<string, number>>;
  noise_by_kind: NoiseLine[];
  pair_power_by: {
    band: PairBreakdown[];
    band_edge: PairBreakdown[];
    share: PairBreakdown[];
    interval: PairBreakdown[];
    kind: PairBreakdown[];
    band_by_share: PairBreakdown[];
    band_edge_by_share: PairBreakdown[];
  };
  /** The oracle on noise (every spec): how often a full-knowledge test alone would call noise an edge. */
  noise_oracle: { sessions: number; t_at_least_2: number; t_at_least_5: number };
}

export interface NoiseLine {
  kind: string;
  sessions: number;
  promotions: number;
  rate: number;
  /** One-sided 95 % upper bound on the rate (exact binomial). */
  rate_upper95: number;
  median_credits: number | null;
}

/** Matching edge sessions in a cell and how many were true promotions. */
export interface PairBreakdown {
  key: string;
  sessions: number;
  found: number;
  power: number | null;
  /** Two-sided 95 % exact binomial interval on the power. */
  ci95: [number, number];
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space (n is at most a few thousand here). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let logC = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    sum += Math.exp(logC + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  return Math.min(1, sum);
}

/** The p where a function decreasing in p crosses `target`, by bisection to 1e-12. */
function solveDecreasing(f: (p: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  while (hi - lo > 1e-12) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Exact (Clopper–Pearson) bounds on a binomial rate from k of n: the one-sided 95 % upper bound
 * (P(X ≤ k | p) = 0.05; for k = 0 it is 1 − 0.05^(1/n), the "rule of three" ≈ 3/n), and the two-sided
 * 95 % interval (each tail 0.025). How far "0 of 216" is from a proof of "≤ 1 %".
 */
export function upper95(k: number, n: number): number {
  if (n === 0) return 1;
  if (k >= n) return 1;
  return solveDecreasing((p) => binomialCdf(k, n, p), 0.05);
}

export function interval95(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const lo = k === 0 ? 0 : solveDecreasing((p) => binomialCdf(k - 1, n, p), 0.975);
  const hi = k >= n ? 1 : solveDecreasing((p) => binomialCdf(k, n, p), 0.025);
  return [lo, hi];
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function tally(rows: readonly RunRow[], field: 'outcome' | 'verdict' = 'outcome'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r[field]] = (out[r[field]] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => outcomeRank(a) - outcomeRank(b) || (a < b ? -1 : 1)));
}

/** DEAD by gate order first, then FROZEN, KILLED, PROMOTED, anything else. */
function outcomeRank(o: string): number {
  if (o.startsWith('DEAD:')) {
    const i = (GATE_ORDER as readonly string[]).indexOf(o.slice(5));
    return i < 0 ? GATE_ORDER.length : i;
  }
  const rest = ['FROZEN', 'FROZEN:insufficient evidence', 'FROZEN:budget exhausted', 'FROZEN:nothing left to propose', 'FROZEN:other', 'KILLED', 'PROMOTED'].indexOf(o);
  return GATE_ORDER.length + 1 + (rest < 0 ? 99 : rest);
}

/**
 * Pair power per key over matching edge sessions; `order` lists keys that appear even when empty
 * (every band is reported), then any other key in sorted order.
 */
function pairBreakdown(rows: readonly RunRow[], key: (r: RunRow) => string | null, order: readonly string[] = []): PairBreakdown[] {
  const by = new Map<string, { n: number; found: number }>(order.map((k) => [k, { n: 0, found: 0 }]));
  for (const r of rows) {
    if (groupOf(r) !== 'edge_matching') continue;
    const k = key(r);
    if (k === null) continue;
    const b = by.get(k) ?? { n: 0, found: 0 };
    b.n++;
    if (r.true_promotion) b.found++;
    by.set(k, b);
  }
  const rank = (k: string): number => { const i = order.indexOf(k); return i < 0 ? order.length : i; };
  return [...by].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, b]) => ({ key: k, sessions: b.n, found: b.found, power: b.n === 0 ? null : b.found / b.n, ci95: interval95(b.found, b.n) }));
}

function breakdown(rows: readonly RunRow[], key: (r: RunRow) => string): Breakdown[] {
  const markets = new Map<string, { key: string; found: boolean }>();
  for (const r of rows) {
    if (r.market_kind === 'noise') continue;
    const m = markets.get(r.market) ?? { key: key(r), found: false };
    if (r.true_promotion) m.found = true;
    markets.set(r.market, m);
  }
  const by = new Map<string, { n: number; found: number }>();
  for (const m of markets.values()) {
    const b = by.get(m.key) ?? { n: 0, found: 0 };
    b.n++;
    if (m.found) b.found++;
    by.set(m.key, b);
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, b]) => ({ key: k, edge_markets: b.n, found: b.found, power: b.found / b.n }));
}

/** `share | band` for every share in the rows and every band, in that order. */
function bandsBy(rows: readonly RunRow[]): string[] {
  const shares = [...new Set(rows.filter((r) => groupOf(r) === 'edge_matching').map((r) => r.share ?? '–'))].sort();
  return shares.flatMap((s) => BANDS.map((b) => `${s} | ${b}`));
}

export function score(rows: readonly RunRow[]): Score {
  const promoted = rows.filter((r) => r.status === 'PROMOTED');
  const falsePromotions = promoted.filter((r) => !r.true_promotion).length;
  const noise = rows.filter((r) => r.market_kind === 'noise');
  const noisePromotions = noise.filter((r) => r.status === 'PROMOTED').length;
  const edgeMarkets = [...new Set(rows.filter((r) => r.market_kind !== 'noise').map((r) => r.market))];
  const found = edgeMarkets.filter((m) => rows.some((r) => r.market === m && r.true_promotion));
  const matching = rows.filter((r) => groupOf(r) === 'edge_matching');
  const truePromotions = matching.filter((r) => r.true_promotion).length;
  const groups: Group[] = ['noise', 'edge_matching', 'edge_other'];
  const inGroup = (g: Group): RunRow[] => rows.filter((r) => groupOf(r) === g);

  const perGate: GateLine[] = [];
  const alive: Record<Group, number> = { noise: inGroup('noise').length, edge_matching: inGroup('edge_matching').length, edge_other: inGroup('edge_other').length };
  for (const gate of GATE_ORDER) {
    const killed = Object.fromEntries(groups.map((g) => [g, inGroup(g).filter((r) => r.outcome === `DEAD:${gate}`).length])) as Record<Group, number>;
    for (const g of groups) alive[g] -= killed[g];
    perGate.push({ gate, killed, alive_after: { ...alive } });
  }

  return {
    sessions: rows.length,
    promotions: promoted.length,
    false_promotions: falsePromotions,
    fdr: promoted.length === 0 ? 0 : falsePromotions / promoted.length,
    noise_sessions: noise.length,
    noise_promotions: noisePromotions,
    noise_false_promotion_rate: noise.length === 0 ? 0 : noisePromotions / noise.length,
    noise_false_promotion_upper95: upper95(noisePromotions, noise.length),
    edge_markets: edgeMarkets.length,
    edge_markets_found: found.length,
    power: edgeMarkets.length === 0 ? 0 : found.length / edgeMarkets.length,
    matching_sessions: matching.length,
    true_promotions: truePromotions,
    pair_power: matching.length === 0 ? 0 : truePromotions / matching.length,
    median_credits: median(rows.map((r) => r.credits)) ?? 0,
    median_credits_by_group: Object.fromEntries(groups.map((g) => [g, median(inGroup(g).map((r) => r.credits))])) as Record<Group, number | null>,
    kills: tally(rows),
    kills_by_group: Object.fromEntries(groups.map((g) => [g, tally(inGroup(g))])) as Record<Group, Record<string, number>>,
    per_gate: perGate,
    power_by: {
      kind: breakdown(rows, (r) => r.market_kind),
      interval: breakdown(rows, (r) => r.interval),
      strength: breakdown(rows, (r) => String(r.strength)),
      edge_share: breakdown(rows, (r) => r.share ?? 'none'),
    },
    kills_by_verdict: tally(rows, 'verdict'),
    kills_by_verdict_group: Object.fromEntries(groups.map((g) => [g, tally(inGroup(g), 'verdict')])) as Record<Group, Record<string, number>>,
    noise_by_kind: [...new Set(noise.map((r) => r.noise_kind ?? 'synthetic'))].sort().map((kind): NoiseLine => {
      const mine = noise.filter((r) => (r.noise_kind ?? 'synthetic') === kind);
      const p = mine.filter((r) => r.status === 'PROMOTED').length;
      return { kind, sessions: mine.length, promotions: p, rate: p / mine.length, rate_upper95: upper95(p, mine.length), median_credits: median(mine.map((r) => r.credits)) };
    }),
    pair_power_by: {
      band: pairBreakdown(rows, (r) => r.oracle_band, BANDS),
      band_edge: pairBreakdown(rows, (r) => r.oracle_band_edge, BANDS),
      share: pairBreakdown(rows, (r) => r.share),
      interval: pairBreakdown(rows, (r) => r.interval),
      kind: pairBreakdown(rows, (r) => r.market_kind),
      band_by_share: pairBreakdown(rows, (r) => `${r.share ?? '–'} | ${r.oracle_band}`, bandsBy(rows)),
      band_edge_by_share: pairBreakdown(rows, (r) => (r.oracle_band_edge === null ? null : `${r.share ?? '–'} | ${r.oracle_band_edge}`), bandsBy(rows)),
    },
    noise_oracle: {
      sessions: noise.length,
      t_at_least_2: noise.filter((r) => r.oracle_t !== null && r.oracle_t >= 2).length,
      t_at_least_5: noise.filter((r) => r.oracle_t !== null && r.oracle_t >= 5).length,
    },
  };
}
