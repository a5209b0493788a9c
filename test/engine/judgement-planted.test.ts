/**
 * Judgement v2 on engine output (docs/gates.md): a planted edge is not FAILed once the sample minimum is
 * reached, and drift alone never passes the edge gate although its raw trade t-statistics are large.
 * Runs go through the research engine (real backtests, μ_j and the market column as the loop gets them)
 * and the gates as the loop calls them; nothing is mocked.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_GATE_CONFIG } from '../../src/core/gates/config.ts';
import { edgeGate } from '../../src/core/gates/edge-gate.ts';
import { gatesJudge } from '../../src/core/gates/judge.ts';
import { failureReason, type GateVerdict } from '../../src/core/research/gate.ts';
import type { CausalityReport } from '../../src/core/research/ports.ts';
import type { SeriesRun } from '../../src/core/research/run.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { clusterKey, clusteredMean } from '../../src/core/stats/index.ts';
import { allocBars, type Bars } from '../../src/engine/data/bars.ts';
import { generateMarket } from '../../src/engine/data/synth.ts';
import { createEngine } from '../../src/engine/research/engine-adapter.ts';
import { mulberry32 } from '../support/mulberry32.ts';
import { tempRoot, writeUniverse } from './research-fixtures.ts';

const root = tempRoot('gauntlet-judgement-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const spec = (name: string, rules: Spec['rules'], style: Spec['meta']['style']): Spec => ({
  schema: 'gauntlet/spec@1', name, idea: name,
  meta: { style, holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
  params: {}, indicators: {}, rules,
  risk: { stop_loss_pct: null, take_profit_pct: null },
  // Stated costs of 0: the planted edge is measured gross, so the test is about judgement, not the cost floor.
  execution: { fees_bps: 0, slippage_bps: 0 },
});

/** Bet on the reversal of the last close-to-close move, long and short, always in the market. */
const REVERSAL = spec('one-bar-reversal', {
  long_entry: ['close', '<', 'close[1]'], long_exit: ['close', '>', 'close[1]'],
  short_entry: ['close', '>', 'close[1]'], short_exit: ['close', '<', 'close[1]'],
}, 'mean_reversion');

/** Long-only: buy after a down close, sell after an up close. No timing edge on a random walk. */
const LONG_DIP = spec('long-after-down-close', {
  long_entry: ['close', '<', 'close[1]'], long_exit: ['close', '>', 'close[1]'], short_entry: null, short_exit: null,
}, 'mean_reversion');

/**
 * The oracle: full knowledge of the planted edge's form (a one-bar reversal) on ALL of the data, the
 * holdout included: one position per bar against the last close-to-close move, its excess return
 * clustered by calendar month — the strength label docs/gates.md and the integrity suite use.
 */
function oracleT(bars: readonly Bars[]): number {
  const e: number[] = [];
  const keys: string[] = [];
  for (const b of bars) {
    const n = b.close.length;
    let mu = 0;
    for (let t = 1; t < n; t++) mu += b.close[t]! / b.close[t - 1]! - 1;
    mu /= n - 1;
    for (let t = 1; t < n - 1; t++) {
      const s = b.close[t]! < b.close[t - 1]! ? 1 : -1;
      e.push(s * (b.close[t + 1]! / b.close[t]! - 1) - s * mu);
      keys.push(clusterKey(b.time[t]!, b.interval));
    }
  }
  const ids = new Map<string, number>();
  const cluster = Int32Array.from(keys, (k) => (ids.has(k) ? ids.get(k)! : (ids.set(k, ids.size), ids.size - 1)));
  return clusteredMean(Float64Array.from(e), cluster).t;
}

function runAll(dir: string, bars: Bars[], sectors: string[], s: Spec): { runs: SeriesRun[]; causality: CausalityReport } {
  const engine = createEngine(writeUniverse(join(root, dir), bars, sectors));
  const runs = bars.map((b) => engine.backtest(s, { symbol: b.symbol, interval: '1d' }, 'visible'));
  return { runs, causality: engine.causality(s, runs[0]!.key, 16, 1) };
}

function judge(runs: SeriesRun[], causality: CausalityReport, scope: number): GateVerdict[] {
  const trials = { storeN: 1, familyN: 1, variance: 0, how: 'one trial' };
  return gatesJudge().judge({
    runs, meta: REVERSAL.meta, compile: { complexity: { indicators: 0, longConditions: 1, shortConditions: 1, optimizableParams: 0 }, warmup: 1, unusedParams: [] },
    causality, trials, scopeSymbols: scope, optimization: null, walkForward: null, seed: 1,
  });
}

const failures = (vs: readonly GateVerdict[]): string => vs.filter((v) => v.verdict === 'FAIL').map(failureReason).join(' | ');

describe('a planted mean-reversion edge is not FAILed by any screening gate', () => {
  // 12 symbols in one sector, 3 years of daily bars, mean reversion at strength 0.5 in every symbol.
  const market = generateMarket({ seed: 21, symbols: 12, sectors: 1, interval: '1d', days: 756, edge: { kind: 'mean_reversion', sector: 'SEC1', strength: 0.5 } });
  const sectors = market.bars.map((b) => market.universe.symbols[b.symbol]!.sector);

  it('the oracle clustered t on the whole set is ≥ 4', () => {
    expect(oracleT(market.bars)).toBeGreaterThanOrEqual(4);
  });

  it('from the sample minimum on, no gate says FAIL, whatever the number of symbols tested', () => {
    const { runs, causality } = runAll('planted', market.bars, sectors, REVERSAL);
    const lines: string[] = [];
    for (let k = 1; k <= runs.length; k++) {
      const verdicts = judge(runs.slice(0, k), causality, runs.length);
      const edge = verdicts.find((v) => v.gate === 'edge')!;
      lines.push(`${k} symbols: ${verdicts.map((v) => `${v.gate} ${v.verdict}`).join(', ')}; edge t ${edge.checks[0]!.value?.toFixed(2)} ${failures(verdicts)}`);
      const enough = edge.sample.trades! >= DEFAULT_GATE_CONFIG.edge.minTrades && edge.sample.clusters! >= DEFAULT_GATE_CONFIG.edge.minClusters;
      if (enough) expect(verdicts.filter((v) => v.verdict === 'FAIL').map((v) => v.gate), lines.join('\n')).toEqual([]);
    }
    // And with every symbol in, the edge itself is found.
    expect(judge(runs, causality, runs.length).find((v) => v.gate === 'edge')!.verdict, lines.join('\n')).toBe('PASS');
  });
});

describe('drift alone is not an edge', () => {
  /** A geometric random walk with a strong positive drift (about 29 % a year) and no timing edge at all. */
  function drifting(seed: number, symbols: number, days: number): Bars[] {
    const rnd = mulberry32(seed);
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return Array.from({ length: symbols }, (_, k) => {
      const b = allocBars(`D${k}`, '1d', days);
      let p = 50;
      for (let t = 0; t < days; t++) {
        const open = p;
        p = p * Math.exp(0.001 + 0.01 * gauss());
        b.time[t] = Date.UTC(2015, 0, 5) + t * 86_400_000;
        b.open[t] = open;
        b.close[t] = p;
        b.high[t] = Math.max(open, p) * 1.002;
        b.low[t] = Math.min(open, p) * 0.998;
        b.volume[t] = 1e6;
      }
      return b;
    });
  }

  for (const seed of [1, 2, 3]) {
    it(`long-only on trending noise (seed ${seed}): raw trade t is large, the excess edge t is near 0 and never PASSes`, () => {
      const bars = drifting(seed, 20, 1500);
      const { runs } = runAll(`drift-${seed}`, bars, bars.map(() => 'Trend'), LONG_DIP);
      // The raw per-trade t (no drift removed), clustered the same way: what v1 would have read as an edge.
      const ret: number[] = [];
      const keys: string[] = [];
      for (const r of runs) for (let i = 0; i < r.trades.count; i++) {
        ret.push(r.trades.ret[i]!);
        keys.push(clusterKey(r.trades.entryTime[i]!, '1d'));
      }
      const ids = new Map<string, number>();
      const cluster = Int32Array.from(keys, (k) => (ids.has(k) ? ids.get(k)! : (ids.set(k, ids.size), ids.size - 1)));
      const raw = clusteredMean(Float64Array.from(ret), cluster).t;
      const v = edgeGate(runs);
      const excess = v.checks[0]!.value!;
      const message = `raw trade t ${raw.toFixed(2)}, excess edge t ${excess.toFixed(2)} over ${v.sample.trades} trades in ${v.sample.clusters} months`;
      expect(raw, message).toBeGreaterThan(4);
      expect(Math.abs(excess), message).toBeLessThan(2);
      expect(v.verdict, message).not.toBe('PASS');
    });
  }
});
