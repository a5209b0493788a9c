import { describe, expect, it } from 'vitest';
import { sectorAggregates, type SectorAggregate } from '../../src/core/director/aggregates.ts';
import { sectorFacts } from '../../src/core/director/facts.ts';
import { barAt, regimeAggregates, regimeFacts } from '../../src/core/director/regimes.ts';
import { makeRun } from './director-fixtures.ts';

describe('sectorAggregates', () => {
  const runs = [
    makeRun({ symbol: 'AMD', sector: 'Tech', trades: [[0, 1, 0.02], [1, 2, -0.01]], equity: [1, 1.1, 0.99, 1.089], barsPerYear: 250 }),
    makeRun({ symbol: 'XOM', sector: 'Energy', trades: [], equity: [1, 1] }),
    makeRun({ symbol: 'MU', sector: 'Tech', trades: [[0, 2, -0.03]], equity: [1, 1, 1, 1], barsPerYear: 254 }),
    makeRun({ symbol: 'NVDA', sector: 'Tech', trades: [[0, 1, 0.01], [1, 2, 0.01], [2, 3, 0.01]], equity: [1, 1, 1, 1], barsPerYear: 252 }),
  ];
  const [tech, energy] = sectorAggregates(runs);

  it('lists sectors in test order, symbols in test order', () => {
    expect(sectorAggregates(runs).map((a) => a.sector)).toEqual(['Tech', 'Energy']);
    expect(tech!.symbols).toEqual(['AMD', 'MU', 'NVDA']);
  });

  it('pools trades, counts positive symbols and pools the per-bar returns for Sharpe', () => {
    expect(tech!.trades).toBe(6);
    expect(tech!.pnl).toBeCloseTo(0.01, 12);
    expect(tech!.avg_trade_return).toBeCloseTo(0.01 / 6, 12);
    expect(tech!.positive_symbols).toBe(2); // AMD +0.005, NVDA +0.01; MU −0.03
    expect(tech!.stability).toBeCloseTo(2 / 3, 12);
    // Returns 0.1, −0.1, 0.1 and six zeros: Σx = 0.1, Σx² = 0.03, n = 9; mean bars/year (250 + 254 + 252) / 3 = 252.
    const sd = Math.sqrt((0.03 - 0.01 / 9) / 8);
    expect(tech!.pooled_sharpe!).toBeCloseTo((0.1 / 9 / sd) * Math.sqrt(252), 8);
  });

  it('a sector without trades has no average, no stability and no Sharpe from one return', () => {
    expect(energy).toEqual({ sector: 'Energy', symbols: ['XOM'], trades: 0, avg_trade_return: null, positive_symbols: 0, stability: 0, pnl: 0, pooled_sharpe: null });
  });

  it('pools a symbol over its runs before calling it positive', () => {
    const two = sectorAggregates([
      makeRun({ symbol: 'AMD', sector: 'Tech', trades: [[0, 1, 0.02]] }),
      makeRun({ symbol: 'AMD', sector: 'Tech', interval: '4h', trades: [[0, 1, -0.05]] }),
    ]);
    expect(two[0]!.symbols).toEqual(['AMD']);
    expect(two[0]!.positive_symbols).toBe(0);
  });
});

const agg = (sector: string, symbols: string[], positive: number, avg: number | null): SectorAggregate => ({
  sector, symbols, trades: 10 * symbols.length, avg_trade_return: avg, positive_symbols: positive, stability: positive / symbols.length, pnl: (avg ?? 0) * 10 * symbols.length, pooled_sharpe: null,
});

describe('sectorFacts', () => {
  it('states them as facts', () => {
    expect(sectorFacts([agg('Tech', ['AMD', 'NVDA', 'MU'], 2, 0.0041), agg('Energy', ['XOM'], 0, -0.002)])).toEqual([
      'Tech: 3 symbols, 2 of 3 with a positive average trade, 30 trades, avg trade 0.410%, pooled Sharpe n/a',
      'Energy: 1 symbol, 0 of 1 with a positive average trade, 10 trades, avg trade -0.200%, pooled Sharpe n/a',
    ]);
  });
});

describe('regimeAggregates', () => {
  const run = makeRun({ symbol: 'AMD', sector: 'Tech', bars: 10, trades: [[0, 1, 0.05], [2, 4, 0.02], [5, 6, -0.01], [7, 9, 0.03]] });
  const labels = {
    volatility: Int8Array.from([-1, -1, 0, 0, 1, 2, 2, 2, 1, 1]),
    trend: Int8Array.from([0, 0, 1, 1, 1, -1, -1, -1, 1, 1]),
  };

  it('files each trade under the regime at its entry bar, skipping warm-up', () => {
    const g = regimeAggregates([run], [labels]);
    expect(g.map((x) => [x.dimension, x.regime, x.trades])).toEqual([
      ['volatility', 'low', 1], ['volatility', 'mid', 0], ['volatility', 'high', 2], ['trend', 'up', 1], ['trend', 'down', 2],
    ]);
    expect(g[0]!.avg_trade_return).toBeCloseTo(0.02, 12);
    expect(g[1]!.avg_trade_return).toBeNull();
    expect(g[2]!.avg_trade_return).toBeCloseTo(0.01, 12);
    expect(g[2]!.win_rate).toBe(0.5);
    expect(regimeFacts(g)).toEqual([
      'volatility low: 1 trade, avg trade 2.00%, win rate 100%',
      'volatility high: 2 trades, avg trade 1.00%, win rate 50.0%',
      'trend up: 1 trade, avg trade 2.00%, win rate 100%',
      'trend down: 2 trades, avg trade 1.00%, win rate 50.0%',
    ]);
  });

  it('needs one label set per run', () => {
    expect(() => regimeAggregates([run], [])).toThrow(RangeError);
  });

  it('barAt finds the last bar at or before a time', () => {
    const t = Float64Array.from([10, 20, 30]);
    expect([5, 10, 25, 30, 99].map((x) => barAt(t, x))).toEqual([-1, 0, 1, 2, 2]);
    expect(barAt(new Float64Array(0), 1)).toBe(-1);
  });
});
