/**
 * Hand-checked cases (test/reference/hand-cases.ts), one or more per rule of DESIGN §4 and
 * docs/semantics.md, checked against BOTH the engine and the independent reference, to 1e-12.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.ts';
import { computeMetrics } from '../../src/engine/backtest/metrics.ts';
import { specSignals } from '../../src/engine/strategy/spec-strategy.ts';
import { referenceBacktest, referenceMetrics, referenceSignals } from '../reference/simple-backtest.ts';
import { HAND_CASES, HAND_SIGNAL_CASES } from '../reference/hand-cases.ts';
import type { HandCase } from '../reference/hand-cases.ts';
import { bitsToSignals, rowsToBars, signalsToBits } from '../reference/data.ts';
import type { SignalRow } from '../reference/data.ts';
import { diffExact, diffMetrics, diffSeries, diffTrades, HAND_TOL } from '../reference/compare.ts';
import type { Metrics, Trade } from '../../src/engine/backtest/types.ts';
import { randomWalkBars } from '../../bench/random-walk.ts';
import { mulberry32 } from '../support/mulberry32.ts';

function diffAgainstHand(c: HandCase, equity: ArrayLike<number>, position: ArrayLike<number>, trades: readonly Trade[], metrics: Metrics): string[] {
  return [
    ...diffSeries('equity', equity, c.equity, HAND_TOL),
    ...diffExact('position', position, c.position),
    ...diffTrades(trades, c.trades, HAND_TOL),
    ...diffMetrics(metrics, c.metrics, HAND_TOL),
  ];
}

function signalStrings(sigs: readonly SignalRow[]): Record<keyof SignalRow, string> {
  const str = (k: keyof SignalRow): string => sigs.map((s) => (s[k] ? 'T' : 'F')).join('');
  return { longEntry: str('longEntry'), longExit: str('longExit'), shortEntry: str('shortEntry'), shortExit: str('shortExit') };
}

describe('hand cases: backtest rules', () => {
  it('cover every rule with 5–12 bar series', () => {
    expect(HAND_CASES.length).toBeGreaterThanOrEqual(18);
    for (const c of HAND_CASES) {
      expect(c.bars.length, c.name).toBeGreaterThanOrEqual(4);
      expect(c.bars.length, c.name).toBeLessThanOrEqual(12);
    }
  });

  for (const c of HAND_CASES) {
    describe(`${c.name} — ${c.covers}`, () => {
      it('reference == hand', () => {
        const res = referenceBacktest(c.bars, c.signals, c.opts);
        const m = referenceMetrics(c.bars.map((b) => b.time), res.equity, res.position, res.trades);
        expect(diffAgainstHand(c, res.equity, res.position, res.trades, m)).toEqual([]);
      });

      it('engine == hand', () => {
        const bars = rowsToBars(c.bars);
        const res = runBacktest(bars, signalsToBits(c.signals), c.opts);
        const m = computeMetrics(bars, res);
        expect(diffAgainstHand(c, res.equity, res.position, res.trades, m)).toEqual([]);
      });
    });
  }
});

describe('hand cases: signal evaluation (Kleene logic, lags, crosses)', () => {
  for (const c of HAND_SIGNAL_CASES) {
    describe(`${c.name} — ${c.covers}`, () => {
      it('reference == hand', () => {
        expect(signalStrings(referenceSignals(c.spec, c.bars))).toEqual(c.expected);
      });
      it('engine == hand', () => {
        expect(signalStrings(bitsToSignals(specSignals(c.spec, rowsToBars(c.bars))))).toEqual(c.expected);
      });
    });
  }
});

describe('held bars counted by the run', () => {
  it('equal the bars with a non-zero position, with and without stops and targets, on random signals', () => {
    const bars = randomWalkBars(20_000, 3);
    const rand = mulberry32(8);
    const signals = Uint8Array.from({ length: bars.time.length }, () => (rand() < 0.05 ? Math.floor(rand() * 16) : 0));
    const optsList = [
      { stopLossPct: null, takeProfitPct: null, feesBps: 2, slippageBps: 1 },
      { stopLossPct: 0.2, takeProfitPct: 0.3, feesBps: 2, slippageBps: 1 },
    ];
    for (const opts of optsList) {
      const res = runBacktest(bars, signals, opts);
      const counted = res.position.reduce((s, p) => s + (p !== 0 ? 1 : 0), 0);
      expect(res.heldBars).toBe(counted);
      expect(counted).toBeGreaterThan(1000);
      expect(counted).toBeLessThan(bars.time.length);
      // A result without the count (a stitched one) gets the same metrics from the position column.
      const { heldBars: _, ...rest } = res;
      expect(computeMetrics(bars, { ...rest, trades: res.trades })).toEqual(computeMetrics(bars, res));
    }
  });
});
