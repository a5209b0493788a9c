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
import { score } from '../../bench/integrity-score.ts';
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
  const rows: RunRow[] = [
    promoted({ market: 'e1', market_kind: 'mean_reversion', spec: 'a', matching: true, credits: 105, promoted_edge_symbols: 2, true_promotion: true }),
    promoted({ market: 'e1', market_kind: 'mean_reversion', spec: 'b', matching: true, credits: 90, promoted_edge_symbols: 1, true_promotion: true }),
    row({ market: 'e2', market_kind: 'trend', interval: '1d', strength: 0.5, sectors: 3, spec: 'a', matching: true, outcome: 'DEAD:distribution', credits: 55 }),
    promoted({ market: 'e2', market_kind: 'trend', interval: '1d', strength: 0.5, sectors: 3, spec: 'c', credits: 105, promoted_edge_symbols: 1 }),
    row({ market: 'e3', market_kind: 'trend', strength: 1, sectors: 2, spec: 'a', matching: true, status: 'FROZEN', outcome: 'FROZEN', credits: 60 }),
    promoted({ market: 'n', spec: 'a', credits: 30 }),
    row({ market: 'n', spec: 'b', outcome: 'DEAD:multiple_testing', credits: 30 }),
    row({ market: 'n', spec: 'c', credits: 30 }),
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
    expect(line('holdout').alive_after).toEqual({ noise: 1, edge_matching: 3, edge_other: 1 });
    expect(s.power_by.edge_share).toEqual([
      { key: '1/2', edge_markets: 1, found: 0, power: 0 }, { key: '1/3', edge_markets: 1, found: 0, power: 0 }, { key: 'all', edge_markets: 1, found: 1, power: 1 },
    ]);
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
