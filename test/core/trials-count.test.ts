import { describe, expect, it } from 'vitest';
import { batchWeight, trialCounts } from '../../src/core/research/trials.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import { effectiveRank } from '../../src/core/stats/index.ts';

// The effective number of trials across the store (docs/statistics.md). Entries are built by hand; only
// the fields trialCounts reads matter.
let seq = 0;
const trial = (payload: Record<string, unknown>): LedgerEntry => ({
  seq: ++seq, ts: '2026-12-01T00:00:00.000Z', session: 's', kind: 'trial', action: 'trial', payload, prev: 'x', hash: 'y',
} as unknown as LedgerEntry);
const here = { logicHash: 'F', universe: 'bundled', interval: '1d' as const };

describe('trialCounts: store N, family N, Var{SR_n}', () => {
  it('counts every family on the same data, not other data; the family N beside it', () => {
    const ledger = [
      trial({ logic_hash: 'F', sharpe: 0.1, universe: 'bundled', interval: '1d' }),
      trial({ logic_hash: 'G', sharpe: 0.3, universe: 'bundled', interval: '1d' }),
      trial({ logic_hash: 'H', sharpe: 0.2, universe: 'bundled', interval: '1h' }), // other interval: not overlapping
      trial({ logic_hash: 'K', sharpe: 0.2, universe: '/my/data', interval: '1d' }), // other universe
      trial({ logic_hash: 'L', sharpe: 0.5 }), // written before universes were recorded: counted (harsh side)
    ];
    const c = trialCounts(ledger, here, 1000);
    expect(c.storeN).toBe(3);
    expect(c.familyN).toBe(1);
    // Sharpes 0.1, 0.3, 0.5: mean 0.3, Σd² = 0.08, /2 = 0.04.
    expect(c.variance).toBeCloseTo(0.04, 15);
  });

  it('a batch weight merges correlated trials; the family always counts its own trials on any data', () => {
    const ledger = [
      ...[0.1, 0.11, 0.12, 0.13].map((sharpe) => trial({ logic_hash: 'F', sharpe, universe: 'bundled', interval: '1d', weight: 0.25 })),
      trial({ logic_hash: 'F', sharpe: 0.2, universe: 'bundled', interval: '4h' }),
    ];
    const c = trialCounts(ledger, here, 1000);
    expect(c.storeN).toBe(2); // 4 × 0.25 + 1
    expect(c.familyN).toBe(2);
  });

  it('fold trials measured on fewer bars are rescaled to the judged length: deviation × √(T_fold / T)', () => {
    // Sharpes 0 and 0.2 (mean 0.1), the second measured on 250 of 1000 bars: its deviation 0.1 → 0.05;
    // the first (no bars recorded) keeps −0.1. Var = (0.01 + 0.0025) / 1.
    const ledger = [trial({ logic_hash: 'F', sharpe: 0 }), trial({ logic_hash: 'F', sharpe: 0.2, bars: 250 })];
    const c = trialCounts(ledger, here, 1000);
    expect(c.variance).toBeCloseTo(0.0125, 15);
    expect(c.how).toMatch(/1 fold trial\(s\) rescaled to T = 1000/);
  });

  it('nothing recorded: N = 0 and no variance (the gate counts the run itself as one trial)', () => {
    expect(trialCounts([], here, 10)).toMatchObject({ storeN: 0, familyN: 0, variance: 0 });
  });
});

describe('batchWeight: effective rank of the trials\' return correlation ÷ their count', () => {
  it('identical trials count as one; uncorrelated ones as all of them', () => {
    const bars = 4;
    // Two identical columns and their correlation [[1, 1], [1, 1]]: effective rank 1, weight 1/2.
    const same = Float64Array.of(1, -1, 2, 0, 1, -1, 2, 0);
    expect(batchWeight({ bars, trials: 2, values: same })).toBeCloseTo(0.5, 12);
    // Orthogonal centred columns: correlation I₂, effective rank 2, weight 1.
    const orth = Float64Array.of(1, -1, 1, -1, 1, 1, -1, -1);
    expect(batchWeight({ bars, trials: 2, values: orth })).toBeCloseTo(1, 12);
  });

  it('agrees with the effective rank of a correlation matrix worked out by hand', () => {
    // Columns x = (1, 0, −1, 0)·k and y = (1, 1, −1, −1): corr = (1 + 1)/(√2·√4) = 1/√2.
    const values = Float64Array.of(1, 0, -1, 0, 1, 1, -1, -1);
    const r = 1 / Math.SQRT2;
    expect(batchWeight({ bars: 4, trials: 2, values })).toBeCloseTo(effectiveRank([[1, r], [r, 1]]) / 2, 12);
  });

  it('a single trial, or a constant one, weighs 1', () => {
    expect(batchWeight({ bars: 3, trials: 1, values: Float64Array.of(1, 2, 3) })).toBe(1);
    expect(batchWeight({ bars: 2, trials: 2, values: Float64Array.of(1, 1, 1, -1) })).toBe(1);
  });
});
