/**
 * The reference implementation (test/reference/simple-backtest.ts) against the hand-checked
 * cases. This file imports nothing from the engine, so it proves the reference right on its own.
 */
import { describe, expect, it } from 'vitest';
import { referenceBacktest, referenceMetrics, referenceSignals } from '../reference/simple-backtest.ts';
import { HAND_CASES, HAND_SIGNAL_CASES } from '../reference/hand-cases.ts';
import { diffExact, diffMetrics, diffSeries, diffTrades, HAND_TOL } from '../reference/compare.ts';

describe('reference backtest vs hand cases', () => {
  it('has a hand case for every rule', () => {
    expect(HAND_CASES.length).toBeGreaterThanOrEqual(18);
    for (const c of HAND_CASES) {
      expect(c.bars.length, c.name).toBeGreaterThanOrEqual(4);
      expect(c.bars.length, c.name).toBeLessThanOrEqual(12);
      expect(c.signals.length, c.name).toBe(c.bars.length);
    }
  });

  for (const c of HAND_CASES) {
    it(`${c.name} — ${c.covers}`, () => {
      const res = referenceBacktest(c.bars, c.signals, c.opts);
      const metrics = referenceMetrics(c.bars.map((b) => b.time), res.equity, res.position, res.trades);
      const diffs = [
        ...diffSeries('equity', res.equity, c.equity, HAND_TOL),
        ...diffExact('position', res.position, c.position),
        ...diffTrades(res.trades, c.trades, HAND_TOL),
        ...diffMetrics(metrics, c.metrics, HAND_TOL),
      ];
      expect(diffs).toEqual([]);
    });
  }
});

describe('reference signals vs hand cases', () => {
  for (const c of HAND_SIGNAL_CASES) {
    it(`${c.name} — ${c.covers}`, () => {
      const sigs = referenceSignals(c.spec, c.bars);
      const str = (k: 'longEntry' | 'longExit' | 'shortEntry' | 'shortExit'): string => sigs.map((s) => (s[k] ? 'T' : 'F')).join('');
      expect({ longEntry: str('longEntry'), longExit: str('longExit'), shortEntry: str('shortEntry'), shortExit: str('shortExit') })
        .toEqual(c.expected);
    });
  }
});
