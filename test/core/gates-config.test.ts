import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { DEFAULT_GATE_CONFIG, configHash, parseGateConfig, tightenOnly } from '../../src/core/gates/config.ts';
import { canonicalJson, sha256 } from '../../src/core/spec/hash.ts';

function refusal(override: unknown): string {
  try {
    tightenOnly(DEFAULT_GATE_CONFIG, override);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  return 'accepted';
}

describe('gate config', () => {
  it('defaults are DESIGN §6, typed out here by hand', () => {
    expect(DEFAULT_GATE_CONFIG).toEqual({
      viability: { minTradesPerYear: { intraday: 100, short: 100, medium: 40, long: 15 }, maxDrawdown: 0.25, minAvgTradeReturn: 0.002 },
      distribution: { topTrades: 5, maxTopTradesShare: 0.5, maxDayShare: 0.25, maxWeekShare: 0.4, sliceFraction: 0.05, maxSliceTradeShare: 0.25 },
      robustness: { minRetention: 0.5, subsamples: 8, trainFraction: 0.7, subsampleFraction: 0.5 },
      complexity: { maxIndicators: 5, maxConditionsPerSide: 6, maxOptimizableParams: 6 },
      multipleTesting: { minDsr: 0.95, minPsr: 0.95, maxPbo: 0.5, minBtlTargetSharpe: 1, pboBlocks: 16 },
      holdout: { minRetention: 0.5, minTrades: 10 },
    });
    expect(parseGateConfig(DEFAULT_GATE_CONFIG)).toEqual(DEFAULT_GATE_CONFIG);
    expect(Object.isFrozen(DEFAULT_GATE_CONFIG.viability.minTradesPerYear)).toBe(true);
  });

  it('rejects an invalid config with a UserError naming the field', () => {
    const bad = { ...DEFAULT_GATE_CONFIG, multipleTesting: { ...DEFAULT_GATE_CONFIG.multipleTesting, pboBlocks: 15 } };
    expect(() => parseGateConfig(bad)).toThrow(UserError);
    expect(() => parseGateConfig(bad)).toThrow(/multipleTesting\.pboBlocks: must be even/);
  });
});

describe('tightenOnly', () => {
  it('accepts tighter values in every direction and leaves the rest at base', () => {
    const c = tightenOnly(DEFAULT_GATE_CONFIG, {
      viability: { maxDrawdown: 0.2, minTradesPerYear: { long: 20 } },
      distribution: { sliceFraction: 0.1 },
      robustness: { subsamples: 16 },
      multipleTesting: { minBtlTargetSharpe: 0.5, minDsr: 0.99 },
    });
    expect(c.viability.maxDrawdown).toBe(0.2);
    expect(c.viability.minTradesPerYear).toEqual({ intraday: 100, short: 100, medium: 40, long: 20 });
    expect(c.distribution.sliceFraction).toBe(0.1);
    expect(c.robustness.subsamples).toBe(16);
    expect(c.multipleTesting).toEqual({ minDsr: 0.99, minPsr: 0.95, maxPbo: 0.5, minBtlTargetSharpe: 0.5, pboBlocks: 16 });
    expect(c.holdout).toEqual(DEFAULT_GATE_CONFIG.holdout);
    // Re-stating a value unchanged is allowed (it is not looser).
    expect(tightenOnly(DEFAULT_GATE_CONFIG, { viability: { maxDrawdown: 0.25 } })).toEqual(DEFAULT_GATE_CONFIG);
    // The base is not modified.
    expect(DEFAULT_GATE_CONFIG.viability.maxDrawdown).toBe(0.25);
  });

  it('refuses a looser value, naming the field', () => {
    expect(refusal({ viability: { maxDrawdown: 0.3 } })).toMatch(/viability\.maxDrawdown: 0\.3 loosens 0\.25.*new, logged config version/);
    expect(refusal({ viability: { minTradesPerYear: { long: 10 } } })).toMatch(/viability\.minTradesPerYear\.long: 10 loosens 15/);
    expect(refusal({ multipleTesting: { minDsr: 0.9 } })).toMatch(/multipleTesting\.minDsr/);
    expect(refusal({ multipleTesting: { maxPbo: 0.6 } })).toMatch(/multipleTesting\.maxPbo/);
    // A higher MinBTL target Sharpe shortens MinBTL = (EmaxZ/E)²: looser.
    expect(refusal({ multipleTesting: { minBtlTargetSharpe: 2 } })).toMatch(/multipleTesting\.minBtlTargetSharpe/);
    expect(refusal({ robustness: { subsamples: 4 } })).toMatch(/robustness\.subsamples/);
    expect(refusal({ complexity: { maxIndicators: 6 } })).toMatch(/complexity\.maxIndicators/);
    expect(refusal({ holdout: { minTrades: 9 } })).toMatch(/holdout\.minTrades/);
  });

  it('refuses changes to fixed fields, unknown fields, non-numbers, and tightenings the schema forbids', () => {
    expect(refusal({ robustness: { trainFraction: 0.8 } })).toMatch(/robustness\.trainFraction: 0\.8 differs from 0\.7/);
    expect(refusal({ distribution: { topTrades: 3 } })).toMatch(/distribution\.topTrades/);
    expect(refusal({ viability: { maxDrawdwn: 0.1 } })).toMatch(/viability\.maxDrawdwn: unknown field/);
    expect(refusal({ viability: { maxDrawdown: '0.1' } })).toMatch(/viability\.maxDrawdown: must be a number/);
    expect(refusal({ viability: 3 })).toMatch(/viability: must be an object/);
    // "Tighter" than 0 drawdown is not a drawdown: the schema still validates the result.
    expect(refusal({ viability: { maxDrawdown: -0.1 } })).toMatch(/viability\.maxDrawdown: must be ≥ 0/);
  });
});

describe('configHash', () => {
  it('is sha256 of the canonical JSON: key order does not matter, any value change does', () => {
    const reordered = Object.fromEntries(Object.entries(DEFAULT_GATE_CONFIG).reverse()) as typeof DEFAULT_GATE_CONFIG;
    expect(Object.keys(reordered)[0]).toBe('holdout');
    expect(configHash(reordered)).toBe(configHash(DEFAULT_GATE_CONFIG));
    expect(configHash(DEFAULT_GATE_CONFIG)).toBe(sha256(canonicalJson(DEFAULT_GATE_CONFIG)));
    expect(configHash(DEFAULT_GATE_CONFIG)).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(tightenOnly(DEFAULT_GATE_CONFIG, { viability: { maxDrawdown: 0.2 } }))).not.toBe(configHash(DEFAULT_GATE_CONFIG));
  });
});
