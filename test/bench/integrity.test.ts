/**
 * The integrity benchmark's accounting, checked against values computed here:
 * - score() on hand-made verdict rows whose FDR, power, median and kill counts are worked out by hand;
 * - the `--quick` subset run for real (one planted-edge market, one noise market, two specs, the full
 *   research loop), its figures recomputed from its own rows, and its rows recomputed from what is on
 *   disk: each session's store.json (status, spends, library, holdout) and each market's universe.json
 *   (which symbols carry the edge), read as plain JSON, not through the store code;
 * - one market researched twice gives the same rows (timings aside).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegrity, type IntegrityResult } from '../../bench/integrity.ts';
import { ROOT, runMarket, verdictOf, type RunRow } from '../../bench/integrity-run.ts';
import { binomialCdf, interval95, score, upper95 } from '../../bench/integrity-score.ts';
import { SUITE_SPECS, quickMarkets } from '../../bench/integrity-suite.ts';

const row = (over: Partial<RunRow>): RunRow => {
  const r: RunRow = {
    market: 'm', market_kind: 'noise', noise_kind: 'synthetic', interval: '1h', strength: 0, sectors: 1, share: null, spec: 's', style: 'mean_reversion', matching: false,
    status: 'DEAD', outcome: 'DEAD:viability', verdict: '', reason: '', credits: 30, trials: 1, runs: 5,
    promoted_symbols: [], promoted_edge_symbols: 0, stable_across: null, path: [], true_promotion: false,
    oracle_t: null, oracle_band: '<2', oracle_trades: 0, oracle_t_edge: null, oracle_band_edge: null, ms: 1, ...over,
  };
  return { ...r, verdict: over.verdict ?? verdictOf(r.outcome, r.reason) };
};
const promoted = (over: Partial<RunRow>): RunRow => row({ status: 'PROMOTED', outcome: 'PROMOTED', promoted_symbols: ['A', 'B'], ...over });

describe('score (hand-made rows)', () => {
  // Three edge markets (e1 found twice, e2 found by a non-matching spec only, e3 not found) and one
  // noise market with one promotion. Promotions: e1×a, e1×b true; e2×c false (not matching); n×a
  // false (noise) → FDR 2/4. Power: e1 only → 1/3. Pair power: matching sessions e1×a, e1×b, e2×a,
  // e3×a → 2/4. Credits 30, 30, 105, 90, 55, 105, 60, 30 → sorted 30 30 30 55 60 90 105 105, median (55 + 60) / 2.
  // Oracle t (scope / edge symbols): e1×a 6 (≥ 5), e1×b 4.5 (4–5), e2×a 1.0 / 5.5 (< 2 / ≥ 5), e3×a 2.5 (2–3).
  const rows: RunRow[] = [
    promoted({ market: 'e1', market_kind: 'mean_reversion', noise_kind: null, share: 'all', spec: 'a', matching: true, credits: 105, promoted_edge_symbols: 2, true_promotion: true, oracle_t: 6, oracle_band: '>=5', oracle_t_edge: 6, oracle_band_edge: '>=5' }),
    promoted({ market: 'e1', market_kind: 'mean_reversion', noise_kind: null, share: 'all', spec: 'b', matching: true, credits: 90, promoted_edge_symbols: 1, true_promotion: true, oracle_t: 4.5, oracle_band: '4-5', oracle_t_edge: 4.5, oracle_band_edge: '4-5' }),
    row({ market: 'e2', market_kind: 'trend', noise_kind: null, share: 'one sector of 11', interval: '1d', strength: 0.5, sectors: 11, spec: 'a', matching: true, outcome: 'DEAD:distribution', credits: 55, oracle_t: 1, oracle_band: '<2', oracle_t_edge: 5.5, oracle_band_edge: '>=5' }),
    promoted({ market: 'e2', market_kind: 'trend', noise_kind: null, share: 'one sector of 11', interval: '1d', strength: 0.5, sectors: 11, spec: 'c', credits: 105, promoted_edge_symbols: 1 }),
    row({ market: 'e3', market_kind: 'trend', noise_kind: null, share: 'all', strength: 1, spec: 'a', matching: true, status: 'FROZEN', outcome: 'FROZEN', reason: 'insufficient evidence: edge t 1.2', credits: 60, oracle_t: 2.5, oracle_band: '2-3', oracle_t_edge: 2.5, oracle_band_edge: '2-3' }),
    promoted({ market: 'n1', noise_kind: 'drift', spec: 'a', credits: 30 }),
    row({ market: 'n2', noise_kind: 'permuted', spec: 'b', outcome: 'DEAD:multiple_testing', credits: 30 }),
    row({ market: 'n2', noise_kind: 'permuted', spec: 'c', credits: 30 }),
  ];
  const s = score(rows);

  it('FDR, the noise rate, power, pair power and the median', () => {
    expect(s.promotions).toBe(4);
    expect(s.false_promotions).toBe(2);
    expect(s.fdr).toBe(0.5);
    expect(s.noise_sessions).toBe(3);
    expect(s.noise_false_promotion_rate).toBe(1 / 3);
    expect([s.edge_markets, s.edge_markets_found, s.power]).toEqual([3, 1, 1 / 3]);
    expect([s.matching_sessions, s.true_promotions, s.pair_power]).toEqual([4, 2, 0.5]);
    expect(s.median_credits).toBe(57.5);
    expect(s.median_credits_by_group).toEqual({ noise: 30, edge_matching: 75, edge_other: 105 });
  });

  it('kill counts by outcome, by group and per gate', () => {
    expect(s.kills).toEqual({ 'DEAD:viability': 1, 'DEAD:distribution': 1, 'DEAD:multiple_testing': 1, FROZEN: 1, PROMOTED: 4 });
    expect(s.kills_by_group.noise).toEqual({ 'DEAD:viability': 1, 'DEAD:multiple_testing': 1, PROMOTED: 1 });
    const line = (g: string) => s.per_gate.find((l) => l.gate === g)!;
    expect(line('viability').killed).toEqual({ noise: 1, edge_matching: 0, edge_other: 0 });
    expect(line('distribution').alive_after).toEqual({ noise: 2, edge_matching: 3, edge_other: 1 });
    expect(line('confirmation').alive_after).toEqual({ noise: 1, edge_matching: 3, edge_other: 1 });
    expect(s.power_by.edge_share).toEqual([
      { key: 'all', edge_markets: 2, found: 1, power: 0.5 }, { key: 'one sector of 11', edge_markets: 1, found: 0, power: 0 },
    ]);
  });

  it('verdicts split FROZEN by why; FROZEN reasons classified by their opening words', () => {
    expect(s.kills_by_verdict).toEqual({ 'DEAD:viability': 1, 'DEAD:distribution': 1, 'DEAD:multiple_testing': 1, 'FROZEN:insufficient evidence': 1, PROMOTED: 4 });
    expect(s.kills_by_verdict_group.edge_matching).toEqual({ 'DEAD:distribution': 1, 'FROZEN:insufficient evidence': 1, PROMOTED: 2 });
    expect(verdictOf('FROZEN', 'budget exhausted: 3 credits left, the cheapest next step (add_symbol) costs 5')).toBe('FROZEN:budget exhausted');
    expect(verdictOf('FROZEN', 'the Director has nothing left to propose')).toBe('FROZEN:nothing left to propose');
    expect(verdictOf('FROZEN', 'stopped after 200 Director rounds')).toBe('FROZEN:other');
    expect(verdictOf('DEAD:edge', 'insufficient evidence: x')).toBe('DEAD:edge');
  });

  it('the noise rate per noise kind', () => {
    expect(s.noise_by_kind).toMatchObject([
      { kind: 'drift', sessions: 1, promotions: 1, rate: 1, rate_upper95: 1, median_credits: 30 },
      { kind: 'permuted', sessions: 2, promotions: 0, rate: 0, median_credits: 30 },
    ]);
    expect(s.noise_by_kind[1]!.rate_upper95).toBeCloseTo(1 - Math.sqrt(0.05), 9); // (1 − p)² = 0.05
  });

  it('pair power by oracle band (every band listed), by share, by interval, and band × share', () => {
    const cell = (key: string, sessions: number, found: number) => ({ key, sessions, found, power: sessions === 0 ? null : found / sessions });
    expect(s.pair_power_by.band).toMatchObject([cell('<2', 1, 0), cell('2-3', 1, 0), cell('3-4', 0, 0), cell('4-5', 1, 1), cell('>=5', 1, 1)]);
    expect(s.pair_power_by.band_edge).toMatchObject([cell('<2', 0, 0), cell('2-3', 1, 0), cell('3-4', 0, 0), cell('4-5', 1, 1), cell('>=5', 2, 1)]);
    expect(s.pair_power_by.share).toMatchObject([cell('all', 3, 2), cell('one sector of 11', 1, 0)]);
    expect(s.pair_power_by.interval).toMatchObject([cell('1d', 1, 0), cell('1h', 3, 2)]);
    expect(s.pair_power_by.band_by_share).toMatchObject([
      cell('all | <2', 0, 0), cell('all | 2-3', 1, 0), cell('all | 3-4', 0, 0), cell('all | 4-5', 1, 1), cell('all | >=5', 1, 1),
      cell('one sector of 11 | <2', 1, 0), cell('one sector of 11 | 2-3', 0, 0), cell('one sector of 11 | 3-4', 0, 0), cell('one sector of 11 | 4-5', 0, 0), cell('one sector of 11 | >=5', 0, 0),
    ]);
    expect(s.pair_power_by.band_edge_by_share.find((c) => c.key === 'one sector of 11 | >=5')).toMatchObject(cell('one sector of 11 | >=5', 1, 0));
    // Exact intervals: 0 of 1 → [0, 1 − 0.025] ; 1 of 1 → [0.025, 1]; no sessions → [0, 1].
    const ci = (key: string) => s.pair_power_by.band.find((c) => c.key === key)!.ci95;
    expect(ci('<2')[0]).toBe(0);
    expect(ci('<2')[1]).toBeCloseTo(0.975, 9);
    expect(ci('>=5')[0]).toBeCloseTo(0.025, 9);
    expect(ci('>=5')[1]).toBe(1);
    expect(ci('3-4')).toEqual([0, 1]);
    expect(s.noise_false_promotion_upper95).toBeCloseTo(upper95(1, 3), 12);
  });
});

describe('exact binomial bounds', () => {
  it('match closed forms and the defining equations', () => {
    expect(binomialCdf(1, 3, 0.5)).toBeCloseTo(0.5, 12); // (1 + 3) / 8
    // 0 of n: (1 − p)^n = 0.05.
    expect(upper95(0, 216)).toBeCloseTo(1 - 0.05 ** (1 / 216), 9);
    expect(upper95(0, 216)).toBeCloseTo(0.013773, 5);
    // 1 of 10: (1 − p)^10 + 10·p·(1 − p)^9 = 0.05 at p ≈ 0.3942.
    const p = upper95(1, 10);
    expect((1 - p) ** 10 + 10 * p * (1 - p) ** 9).toBeCloseTo(0.05, 9);
    expect(p).toBeCloseTo(0.3942, 4);
    // 5 of 10, two-sided: symmetric, P(X ≥ 5 | lo) = 0.025 → [0.1871, 0.8129].
    const [lo, hi] = interval95(5, 10);
    expect(lo).toBeCloseTo(1 - hi, 9);
    expect(hi).toBeCloseTo(0.8129, 4);
    expect(upper95(3, 3)).toBe(1);
    expect(interval95(0, 0)).toEqual([0, 1]);
  });

  it('no promotion: FDR 0, not NaN', () => {
    expect(score([row({})]).fdr).toBe(0);
  });
});

describe('the quick suite, run for real', () => {
  const work = mkdtempSync(join(tmpdir(), 'gauntlet-integrity-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  let r: IntegrityResult;
  let dir: string;
  beforeAll(async () => {
    r = await runIntegrity({ quick: true, seed: 1, budget: 1000, jobs: 1, real: false, calibration: false, work, keep: true });
    dir = join(work, readdirSync(work).find((d) => d.startsWith('gauntlet-integrity-'))!);
  }, 120_000);

  it('runs every market × spec once, with a planted edge and a noise market', () => {
    expect(r.markets.map((m) => m.kind).sort()).toEqual(['noise', 'trend']);
    expect(r.rows).toHaveLength(r.markets.length * r.specs.length);
    const pairs = new Set(r.rows.map((x) => `${x.market}|${x.spec}`));
    expect(pairs.size).toBe(r.rows.length);
    expect(r.rows.every((x) => x.status !== 'ERROR')).toBe(true);
  });

  it('each row agrees with the session store and the market on disk', () => {
    for (const x of r.rows) {
      const store = JSON.parse(readFileSync(join(dir, x.market, `db-${x.spec}`, 'store.json'), 'utf8')) as {
        sessions: Array<{ status: string }>; ledger: Array<{ kind: string; cost?: number; action: string }>; library: unknown[];
      };
      expect(store.sessions.map((s) => s.status), `${x.market} × ${x.spec}`).toEqual([x.status]);
      expect(store.ledger.filter((e) => e.kind === 'spend').reduce((a, e) => a + (e.cost ?? 0), 0)).toBe(x.credits);
      expect(store.library).toHaveLength(x.status === 'PROMOTED' ? 1 : 0);
      expect(store.ledger.some((e) => e.action === 'holdout:open')).toBe(x.status === 'PROMOTED' || x.outcome === 'DEAD:holdout');

      // Matching and truth, from the spec file's style and the universe file's sectors.
      const market = r.markets.find((m) => m.id === x.market)!;
      const spec = SUITE_SPECS.find((s) => s.id === x.spec)!;
      const style = (JSON.parse(readFileSync(join(ROOT, 'specs', spec.file), 'utf8')) as { meta: { style: string } }).meta.style;
      const matching = market.kind === 'mean_reversion' ? style === 'mean_reversion' : market.kind === 'trend' ? ['trend_following', 'momentum', 'breakout'].includes(style) : false;
      expect(x.matching).toBe(matching);
      const universe = JSON.parse(readFileSync(join(dir, x.market, 'market', 'universe.json'), 'utf8')) as { symbols: Record<string, { sector: string }>; edge: { kind: string; sector?: string } };
      expect(universe.edge.kind).toBe(market.kind === 'noise' ? 'none' : market.kind);
      const inEdge = x.promoted_symbols.filter((s) => universe.edge.sector !== undefined && universe.symbols[s]?.sector === universe.edge.sector).length;
      expect(x.promoted_edge_symbols).toBe(inEdge);
      expect(x.true_promotion).toBe(x.status === 'PROMOTED' && matching && inEdge > 0);
    }
  });

  it('the figures follow from the rows', () => {
    const promotions = r.rows.filter((x) => x.status === 'PROMOTED');
    const falses = promotions.filter((x) => !x.true_promotion).length;
    expect(r.promotions).toBe(promotions.length);
    expect(r.fdr).toBe(promotions.length === 0 ? 0 : falses / promotions.length);
    const noise = r.rows.filter((x) => x.market_kind === 'noise');
    expect(r.noise_false_promotion_rate).toBe(noise.filter((x) => x.status === 'PROMOTED').length / noise.length);
    const edgeMarkets = r.markets.filter((m) => m.kind !== 'noise').map((m) => m.id);
    expect(r.power).toBe(edgeMarkets.filter((m) => r.rows.some((x) => x.market === m && x.true_promotion)).length / edgeMarkets.length);
    const credits = r.rows.map((x) => x.credits).sort((a, b) => a - b);
    expect(r.median_credits).toBe((credits[1]! + credits[2]!) / 2); // four sessions
    expect(Object.values(r.kills).reduce((a, b) => a + b, 0)).toBe(r.sessions);
    const killedByGates = r.per_gate.reduce((a, l) => a + l.killed.noise + l.killed.edge_matching + l.killed.edge_other, 0);
    expect(killedByGates + (r.kills.PROMOTED ?? 0) + (r.kills.FROZEN ?? 0) + (r.kills.KILLED ?? 0)).toBe(r.sessions);
  });

  it('a planted strength-1 trend edge in every symbol is found; noise is not', () => {
    const edge = r.rows.filter((x) => x.market_kind === 'trend' && x.matching);
    expect(edge.some((x) => x.true_promotion), JSON.stringify(edge.map((x) => [x.spec, x.outcome, x.reason]))).toBe(true);
    // The full-knowledge label agrees: a clear edge is in the top band; noise has no edge-symbol oracle.
    expect(edge.every((x) => x.oracle_band === '>=5' && x.oracle_t_edge === x.oracle_t)).toBe(true);
    expect(r.rows.filter((x) => x.market_kind === 'noise').every((x) => x.oracle_t_edge === null && x.oracle_band_edge === null && x.oracle_trades > 0)).toBe(true);
    expect(r.rows.filter((x) => x.market_kind === 'noise' && x.status === 'PROMOTED')).toEqual([]);
  });

  it('the same market researched again gives the same rows', async () => {
    const noise = quickMarkets(1).find((m) => m.kind === 'noise')!;
    const specs = SUITE_SPECS.filter((s) => r.specs.some((x) => x.id === s.id));
    const again = await runMarket(noise, specs, { seed: 1, budget: 1000, workDir: join(work, 'again') });
    const strip = (xs: RunRow[]) => xs.map(({ ms: _ms, ...rest }) => rest);
    expect(strip(again)).toEqual(strip(r.rows.filter((x) => x.market === noise.id)));
  }, 60_000);
});
