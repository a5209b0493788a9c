import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_CONFIG } from '../../src/core/gates/config.ts';
import { robustness } from '../../src/core/gates/robustness.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import { CENTI_YEAR, makeRun, simpleSharpe } from './gates-helpers.ts';
import type { TradeSpec } from './gates-helpers.ts';
import { mulberry32 } from './stats-helpers.ts';

const byName = (v: GateVerdict, name: string): Check => {
  const c = v.checks.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no check ${name}`);
  return c;
};

// 101 bars 1/100 year apart: bar b sits at b% of the span. Return r_k (k = 1…100) is realised at bar k.
// Train = [0, 70 %): bars 0…69 (returns k = 1…69); test = [70 %, 100 %]: bars 70…100.
// Halves: [0, 50 %) and [50 %, 100 %]. Trades enter every 5 bars: 0, 5, …, 95 (20 trades).
const A = 2 ** -6; // 0.015625
const steadyReturns = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 0.02 : -0.01));
const tradesWith = (before70: number, from70: number): TradeSpec[] => Array.from({ length: 20 }, (_, i) => ({ entry: 5 * i, ret: 5 * i < 70 ? before70 : from70 }));
const run = (trades: TradeSpec[], returns: number[] = steadyReturns) => makeRun({ step: CENTI_YEAR, returns, trades });

/** Per-bar returns realised at bars lo…hi (inclusive), by bar index: the test's own window filter. */
const barsIn = (returns: number[], lo: number, hi: number): number[] => returns.filter((_, i) => i + 1 >= lo && i + 1 <= hi);

/** A scripted random source that counts its calls. */
function scripted(values: number[]): { random: () => number; calls: () => number } {
  let n = 0;
  return { random: () => values[n++ % values.length]!, calls: () => n };
}

describe('robustness: train/test and halves', () => {
  it('a steady edge passes everything', () => {
    const v = robustness([run(tradesWith(A, A))], mulberry32(7));
    expect(v.pass).toBe(true);
    expect(byName(v, 'test_vs_train_avg_trade_return').value).toBe(1);
    expect(byName(v, 'second_vs_first_half_avg_trade_return').value).toBe(1);
    // Sharpe retention, from the simple implementation over the same bars.
    const trainS = simpleSharpe(barsIn(steadyReturns, 1, 69));
    const testS = simpleSharpe(barsIn(steadyReturns, 70, 100));
    expect(byName(v, 'test_vs_train_sharpe').value).toBeCloseTo(testS / trainS, 12);
    expect(byName(v, 'full_sharpe').value).toBeCloseTo(simpleSharpe(steadyReturns), 12);
  });

  it('an edge that decays to a quarter fails train/test but keeps 55 % on the second half', () => {
    // Train: 14 trades of 1/64; test: 6 trades of 1/256 → ratio 0.25.
    // Second half: bars 50, 55, 60, 65 at 1/64 and 70…95 at 1/256 → (4/64 + 6/256)/10 = 22/2560; vs 1/64 → 0.55.
    const v = robustness([run(tradesWith(A, A / 4))], mulberry32(7));
    expect(byName(v, 'test_vs_train_avg_trade_return')).toMatchObject({ value: 0.25, pass: false });
    expect(byName(v, 'second_vs_first_half_avg_trade_return').value).toBeCloseTo(0.55, 14);
    expect(byName(v, 'second_vs_first_half_avg_trade_return').pass).toBe(true);
    expect(v.pass).toBe(false);
  });

  it('keeping exactly 50 % passes', () => {
    const v = robustness([run(tradesWith(A, A / 2))], mulberry32(7));
    expect(byName(v, 'test_vs_train_avg_trade_return')).toMatchObject({ value: 0.5, threshold: 0.5, pass: true });
  });

  it('a Sharpe that vanishes in the test part fails test_vs_train_sharpe', () => {
    // Bars 1…69 alternate +2 %/−1 %; bars 70…100 alternate +1 %/−1 % (mean ≈ 0).
    const returns = Array.from({ length: 100 }, (_, i) => (i + 1 < 70 ? (i % 2 === 0 ? 0.02 : -0.01) : i % 2 === 0 ? 0.01 : -0.01));
    const v = robustness([run(tradesWith(A, A), returns)], mulberry32(7));
    const want = simpleSharpe(barsIn(returns, 70, 100)) / simpleSharpe(barsIn(returns, 1, 69));
    expect(byName(v, 'test_vs_train_sharpe').value).toBeCloseTo(want, 12);
    expect(want).toBeLessThan(0.5);
    expect(byName(v, 'test_vs_train_sharpe').pass).toBe(false);
  });

  it('no edge on the full sample: fails, and nothing is kept', () => {
    const v = robustness([run(tradesWith(-0.01, -0.01), steadyReturns.map((r) => -r))], mulberry32(7));
    expect(byName(v, 'full_avg_trade_return')).toMatchObject({ pass: false });
    expect(byName(v, 'full_avg_trade_return').value).toBeCloseTo(-0.01, 15);
    expect(byName(v, 'full_sharpe').pass).toBe(false);
    const kept = byName(v, 'second_vs_first_half_avg_trade_return');
    expect(kept).toMatchObject({ value: null, pass: false });
    expect(kept.note).toMatch(/no edge on the reference/);
  });

  it('a part without trades leaves the ratio unmeasured: fails', () => {
    // Trades only at bars 0…45: nothing enters in the test part.
    const v = robustness([run(Array.from({ length: 10 }, (_, i) => ({ entry: 5 * i, ret: A })))], mulberry32(7));
    const c = byName(v, 'test_vs_train_avg_trade_return');
    expect(c).toMatchObject({ value: null, pass: false });
    expect(c.note).toMatch(/unmeasured on the part/);
  });

  it('no runs, or runs that span no time: fails unmeasured', () => {
    for (const runs of [[], [makeRun({ returns: [] })]]) {
      const v = robustness(runs, mulberry32(1));
      expect(v.pass).toBe(false);
      expect(v.checks.every((c) => c.value === null)).toBe(true);
    }
  });
});

describe('robustness: random contiguous subsamples', () => {
  it('draws one window per subsample and reports the worst retention', () => {
    // Two windows 50 % wide: u = 0 → [0, 50); u = 0.89 → start 0.89 × 50 = 44.5 → [44.5, 94.5).
    // Decaying edge (1/64 before bar 70, 1/256 from bar 70). Full avg = (14/64 + 6/256)/20 = 62/5120.
    //   window 1: bars 0…45, all 1/64 → ratio (1/64)/(62/5120) = 80/62
    //   window 2: bars 45…90: five at 1/64, five at 1/256 → 25/2560 → ratio 50/62 ≈ 0.806
    const s = scripted([0, 0.89]);
    const v = robustness([run(tradesWith(A, A / 4))], s.random, { ...DEFAULT_GATE_CONFIG.robustness, subsamples: 2 });
    expect(s.calls()).toBe(2);
    const c = byName(v, 'subsample_min_avg_trade_return');
    expect(c.value).toBeCloseTo(50 / 62, 14);
    expect(c.pass).toBe(true);
    expect(c.note).toMatch(/2 random contiguous windows/);
  });

  it('a window that catches only the decayed end fails', () => {
    // u = 0.999 → [49.95, 99.95): bars 50…95 → (4/64 + 6/256)/10 = 22/2560; ratio (22/2560)/(62/5120) = 44/62 ≈ 0.71 → still passes.
    // With a 30 % window at u = 0.999 → [69.93, 99.93): bars 70…95 only → 1/256 → ratio (1/256)/(62/5120) = 20/62 ≈ 0.32 → fails.
    const cfg = { ...DEFAULT_GATE_CONFIG.robustness, subsamples: 1 };
    const half = robustness([run(tradesWith(A, A / 4))], scripted([0.999]).random, cfg);
    expect(byName(half, 'subsample_min_avg_trade_return').value).toBeCloseTo(44 / 62, 14);
    // A 30 % window is a different (fixed-field) config: built directly here, as a new config version would be.
    const narrow = robustness([run(tradesWith(A, A / 4))], scripted([0.999]).random, { ...cfg, subsampleFraction: 0.3 });
    expect(byName(narrow, 'subsample_min_avg_trade_return').value).toBeCloseTo(20 / 62, 14);
    expect(byName(narrow, 'subsample_min_avg_trade_return').pass).toBe(false);
  });

  it('is deterministic for a seed and uses K = 8 draws by default', () => {
    let calls = 0;
    const counted = (seed: number) => {
      const r = mulberry32(seed);
      return () => {
        calls++;
        return r();
      };
    };
    const a = robustness([run(tradesWith(A, A))], counted(42));
    expect(calls).toBe(8);
    const b = robustness([run(tradesWith(A, A))], counted(42));
    expect(b).toEqual(a);
    // Every window of a steady edge keeps it all (each window's trades are all 1/64).
    expect(byName(a, 'subsample_min_avg_trade_return').value).toBe(1);
  });

  it('a window without trades makes the subsample check fail unmeasured', () => {
    // Trades only at bars 0…20; a window starting at 25 % sees none.
    const early = Array.from({ length: 5 }, (_, i) => ({ entry: 5 * i, ret: A }));
    const v = robustness([run(early)], scripted([0.5]).random, { ...DEFAULT_GATE_CONFIG.robustness, subsamples: 1 });
    expect(byName(v, 'subsample_min_avg_trade_return')).toMatchObject({ value: null, pass: false });
  });
});
