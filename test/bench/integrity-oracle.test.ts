/**
 * The integrity benchmark's oracle t, against computations made here:
 * - five trades worked out by hand (excess returns, clusters by calendar month at 1d, by day at 1h, CR1);
 * - a tiny written market (2 symbols): the bench's oracle equals a second implementation that reads
 *   the CSV closes itself for μ_j (the whole series), takes the engine's full-segment trades, and
 *   clusters and sums with plain loops — and those trades reach into the sealed holdout;
 * - the bands; the GICS layout recounted from the bundled sector map; the suite's noise size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bandOf, oracleOf, oracleT } from '../../bench/integrity-oracle.ts';
import { suiteSpec } from '../../bench/integrity-run.ts';
import {
  BUNDLED_GICS_COUNTS, GICS_SIZES, NOISE_MARKETS_PER_KIND, SUITE_SPECS, proportionalSizes, quickMarkets, standardMarkets,
} from '../../bench/integrity-suite.ts';
import { generateMarket, writeMarket } from '../../src/engine/data/synth.ts';
import { bundledDataDir, loadUniverseDir, readSectorMap } from '../../src/engine/data/universe.ts';
import { createEngine } from '../../src/engine/research/engine-adapter.ts';

const ms = (iso: string): number => Date.parse(iso);

describe('oracleOf (hand-checked)', () => {
  // e = r − s·μ·h:  0.03 − 0.005·2 = 0.02;  0.01 + 0.005·4 = 0.03;  −0.01 − 0.002·1 = −0.012;
  // 0.02 − 0.002·5 = 0.01;  0.004 + 0.002·2 = 0.008.  Mean 0.056 / 5 = 0.0112.
  // Months: Jan {0.02, 0.03}, Feb {−0.012}, Mar {0.01, 0.008}; residual sums 0.0276, −0.0232, −0.0044,
  // squares 0.00076176 + 0.00053824 + 0.00001936 = 0.00131936; SE² = 3/2 · 0.00131936 / 5² → t ≈ 1.2588.
  const trades = {
    ret: Float64Array.from([0.03, 0.01, -0.01, 0.02, 0.004]),
    side: Int8Array.from([1, -1, 1, 1, -1]),
    bars: Int32Array.from([2, 4, 1, 5, 2]),
    entryTime: Float64Array.from([ms('2021-01-04T14:30:00Z'), ms('2021-01-20T14:30:00Z'), ms('2021-02-10T14:30:00Z'), ms('2021-03-01T14:30:00Z'), ms('2021-03-01T18:30:00Z')]),
    drift: Float64Array.from([0.005, 0.005, 0.002, 0.002, 0.002]),
  };

  it('daily bars: clusters are calendar months', () => {
    const o = oracleOf(trades, '1d', 2);
    expect(o.trades).toBe(5);
    expect(o.clusters).toBe(3);
    expect(o.mean).toBeCloseTo(0.0112, 15);
    expect(o.t).toBeCloseTo(0.0112 / Math.sqrt((1.5 * 0.00131936) / 25), 10);
    expect(o.t).toBeCloseTo(1.2588, 4);
  });

  it('hourly bars: clusters are days (Jan 4, Jan 20, Feb 10, Mar 1 → 4)', () => {
    // Days: {0.02}, {0.03}, {−0.012}, {0.01, 0.008}; residual sums 0.0088, 0.0188, −0.0232, −0.0044:
    // squares 0.00007744 + 0.00035344 + 0.00053824 + 0.00001936 = 0.00098848; SE² = 4/3 · 0.00098848 / 25.
    const o = oracleOf(trades, '1h', 2);
    expect(o.clusters).toBe(4);
    expect(o.t).toBeCloseTo(0.0112 / Math.sqrt(((4 / 3) * 0.00098848) / 25), 10);
  });

  it('no trades or one cluster: no t', () => {
    const none = { ret: new Float64Array(0), side: new Int8Array(0), bars: new Int32Array(0), entryTime: new Float64Array(0), drift: new Float64Array(0) };
    expect(oracleOf(none, '1d', 0)).toEqual({ t: null, mean: null, trades: 0, clusters: 0, symbols: 0 });
    expect(oracleOf({ ...trades, entryTime: trades.entryTime.map(() => ms('2021-01-04T00:00:00Z')) }, '1d', 1).t).toBeNull();
  });

  it('bands', () => {
    expect([null, -3, 1.99, 2, 2.99, 3, 4.5, 4.999, 5, 40].map(bandOf)).toEqual(['<2', '<2', '<2', '2-3', '2-3', '3-4', '4-5', '4-5', '>=5', '>=5']);
  });
});

describe('oracleT on a tiny written market (second implementation)', () => {
  const work = mkdtempSync(join(tmpdir(), 'gauntlet-oracle-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('pools every symbol\'s full-series trades, holdout included, with μ over the whole series', async () => {
    const dir = join(work, 'm');
    await writeMarket(dir, generateMarket({ seed: 4, symbols: 2, sectors: 1, interval: '1d', days: 400, edge: { kind: 'mean_reversion', sector: 'SEC1', strength: 0.8 } }));
    const universe = loadUniverseDir(dir, { cacheDir: null, env: {} });
    const spec = suiteSpec(SUITE_SPECS.find((s) => s.id === 'rsi2-reversion')!);
    const got = oracleT(spec, universe, ['S01A', 'S01B'], '1d');

    const engine = createEngine(universe);
    const e: number[] = [];
    const month: string[] = [];
    let inHoldout = 0;
    for (const sym of ['S01A', 'S01B']) {
      const lines = readFileSync(join(dir, `${sym}.csv`), 'utf8').trim().split('\n').slice(1);
      const close = lines.map((l) => Number(l.split(',')[4]));
      const times = lines.map((l) => Date.parse(`${l.split(',')[0]}T00:00:00Z`));
      let mu = 0;
      for (let t = 1; t < close.length; t++) mu += close[t]! / close[t - 1]! - 1;
      mu /= close.length - 1;
      const tr = engine.backtest(spec, { symbol: sym, interval: '1d' }, 'full').trades;
      const cut = times[Math.floor(0.8 * times.length)]!;
      for (let i = 0; i < tr.count; i++) {
        e.push(tr.ret[i]! - tr.side[i]! * mu * tr.bars[i]!);
        month.push(new Date(tr.entryTime[i]!).toISOString().slice(0, 7));
        if (tr.entryTime[i]! >= cut) inHoldout++;
      }
    }
    const mean = e.reduce((a, b) => a + b, 0) / e.length;
    const sums = new Map<string, number>();
    e.forEach((x, i) => sums.set(month[i]!, (sums.get(month[i]!) ?? 0) + x - mean));
    const G = sums.size;
    const se = Math.sqrt(((G / (G - 1)) * [...sums.values()].reduce((a, s) => a + s * s, 0)) / (e.length * e.length));

    expect(inHoldout).toBeGreaterThan(0);
    expect(got.trades).toBe(e.length);
    expect(got.clusters).toBe(G);
    expect(got.symbols).toBe(2);
    expect(got.mean!).toBeCloseTo(mean, 12);
    expect(got.t!).toBeCloseTo(mean / se, 9);
  });
});

describe('the suite', () => {
  it('sizes its 11 GICS sectors from the bundled sector map', () => {
    const map = readSectorMap(join(bundledDataDir(), 'sp500_constituents', 'sector_map_all_stocks_5yr.csv'));
    const counts = new Map<string, number>();
    for (const s of map.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect(Object.fromEntries(BUNDLED_GICS_COUNTS.map((c) => [c.name, c.symbols]))).toEqual(Object.fromEntries(counts));
    // 50 of 505 with at least 2 a sector: Telecommunication Services (3 → 0.3) gets 2, the other 48 go
    // in proportion to the other 502 (8.03, 6.69, 6.50, 6.41, 5.83, 3.25, 3.16, 3.06, 2.68, 2.39 →
    // floors 44, the 4 largest remainders .83 .69 .68 .50 get one more).
    expect(GICS_SIZES.map((x) => x.symbols)).toEqual([8, 7, 7, 6, 6, 3, 3, 3, 3, 2, 2]);
    expect(proportionalSizes([{ name: 'a', symbols: 1 }, { name: 'b', symbols: 1 }, { name: 'c', symbols: 2 }], 8, 1).map((x) => x.symbols)).toEqual([2, 2, 4]);
  });

  it('has at least 200 noise sessions of three kinds, edges in every symbol and in one sector of 11', () => {
    const m = standardMarkets(1);
    const noise = m.filter((x) => x.kind === 'noise');
    expect(noise.length * SUITE_SPECS.length).toBeGreaterThanOrEqual(200);
    expect(['synthetic', 'drift', 'permuted'].map((k) => noise.filter((x) => x.noise === k).length)).toEqual([NOISE_MARKETS_PER_KIND, NOISE_MARKETS_PER_KIND, NOISE_MARKETS_PER_KIND]);
    const edges = m.filter((x) => x.kind !== 'noise');
    expect(new Set(edges.map((x) => x.share))).toEqual(new Set(['all', 'one sector of 11']));
    for (const x of edges.filter((y) => y.share === 'one sector of 11')) expect(GICS_SIZES.map((g) => g.name)).toContain(x.sector);
    expect(new Set(m.map((x) => x.id)).size).toBe(m.length);
    expect(new Set(m.map((x) => x.seed)).size).toBe(m.length);
    expect(quickMarkets(1).map((x) => x.kind).sort()).toEqual(['noise', 'trend']);
  });
});
