import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { DEFAULT_GATE_CONFIG, DEFAULT_VERSIONED_CONFIG, configHash, parseGateConfig, tightenOnly, versionedGateConfig } from '../../src/core/gates/config.ts';
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
  it('defaults are the gates@2 contract (docs/gates.md), typed out here by hand', () => {
    const floor = 0.002;
    expect(DEFAULT_GATE_CONFIG).toEqual({
      viability: {
        minScopeTradeRate: { under10d: 100, under60d: 40, beyond: 15 },
        maxHedgedDrawdown: 0.25,
        minDrawdownSymbols: 10,
        minAvgTradeReturn: { '1m': floor, '5m': floor, '10m': floor, '15m': floor, '30m': floor, '1h': floor, '4h': floor, '1d': floor },
      },
      edge: { minT: 2, minTrades: 30, minClusters: 12, confidence: 0.95 },
      distribution: { topTrades: 5, maxTopTradesShare: 0.5, maxDayShare: 0.25, maxWeekShare: 0.4, sliceFraction: 0.05, maxSliceTradeShare: 0.25, minTrades: 100 },
      robustness: { minRetention: 0.5, subsamples: 8, trainFraction: 0.7, subsampleFraction: 0.5 },
      complexity: { maxIndicators: 5, maxConditionsPerSide: 6, maxOptimizableParams: 6 },
      multipleTesting: { minDsr: 0.95, failDsr: 0.05, minPsr: 0.95, maxPbo: 0.5, minBtlTargetSharpe: 1, pboBlocks: 16 },
      confirmation: { minT: 1.645 },
    });
    expect(parseGateConfig(DEFAULT_GATE_CONFIG)).toEqual(DEFAULT_GATE_CONFIG);
    expect(Object.isFrozen(DEFAULT_GATE_CONFIG.viability.minScopeTradeRate)).toBe(true);
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
      viability: { maxHedgedDrawdown: 0.2, minScopeTradeRate: { beyond: 20 } },
      edge: { minT: 2.5, confidence: 0.9 },
      distribution: { sliceFraction: 0.1 },
      robustness: { minRetention: 0.6 },
      multipleTesting: { minBtlTargetSharpe: 0.5, minDsr: 0.99 },
    });
    expect(c.viability.maxHedgedDrawdown).toBe(0.2);
    expect(c.viability.minScopeTradeRate).toEqual({ under10d: 100, under60d: 40, beyond: 20 });
    expect(c.edge).toEqual({ minT: 2.5, minTrades: 30, minClusters: 12, confidence: 0.9 });
    expect(c.distribution.sliceFraction).toBe(0.1);
    expect(c.robustness.minRetention).toBe(0.6);
    expect(c.multipleTesting).toEqual({ minDsr: 0.99, failDsr: 0.05, minPsr: 0.95, maxPbo: 0.5, minBtlTargetSharpe: 0.5, pboBlocks: 16 });
    expect(c.confirmation).toEqual(DEFAULT_GATE_CONFIG.confirmation);
    // Re-stating a value unchanged is allowed (it is not looser).
    expect(tightenOnly(DEFAULT_GATE_CONFIG, { viability: { maxHedgedDrawdown: 0.25 } })).toEqual(DEFAULT_GATE_CONFIG);
    // The base is not modified.
    expect(DEFAULT_GATE_CONFIG.viability.maxHedgedDrawdown).toBe(0.25);
  });

  it('refuses a looser value, naming the field', () => {
    expect(refusal({ viability: { maxHedgedDrawdown: 0.3 } })).toBe('gate config: viability.maxHedgedDrawdown: 0.3 loosens 0.25 (only a value ≤ 0.25 tightens). A looser gate needs a new config version: add "version": "<a new name>" to the file, and every verdict will name it (docs/gates.md).');
    expect(refusal({ viability: { minScopeTradeRate: { beyond: 10 } } })).toMatch(/viability\.minScopeTradeRate\.beyond: 10 loosens 15/);
    expect(refusal({ edge: { minT: 1.9 } })).toMatch(/edge\.minT: 1\.9 loosens 2/);
    // A higher confidence makes a FAIL rarer: looser. The sample minimums are fixed.
    expect(refusal({ edge: { confidence: 0.99 } })).toMatch(/edge\.confidence: 0\.99 loosens 0\.95/);
    expect(refusal({ edge: { minTrades: 40 } })).toMatch(/edge\.minTrades: 40 differs from 30/);
    expect(refusal({ multipleTesting: { failDsr: 0.01 } })).toMatch(/multipleTesting\.failDsr: 0\.01 loosens 0\.05/);
    expect(refusal({ multipleTesting: { minDsr: 0.9 } })).toMatch(/multipleTesting\.minDsr/);
    expect(refusal({ multipleTesting: { maxPbo: 0.6 } })).toMatch(/multipleTesting\.maxPbo/);
    // A higher MinBTL target Sharpe shortens MinBTL = (EmaxZ/E)²: looser.
    expect(refusal({ multipleTesting: { minBtlTargetSharpe: 2 } })).toMatch(/multipleTesting\.minBtlTargetSharpe/);
    expect(refusal({ robustness: { subsamples: 16 } })).toMatch(/robustness\.subsamples: 16 differs from 8/);
    expect(refusal({ complexity: { maxIndicators: 6 } })).toMatch(/complexity\.maxIndicators/);
    expect(refusal({ confirmation: { minT: 1.5 } })).toMatch(/confirmation\.minT/);
  });

  it('refuses changes to fixed fields, unknown fields, non-numbers, and tightenings the schema forbids', () => {
    expect(refusal({ robustness: { trainFraction: 0.8 } })).toMatch(/robustness\.trainFraction: 0\.8 differs from 0\.7/);
    expect(refusal({ distribution: { topTrades: 3 } })).toMatch(/distribution\.topTrades/);
    expect(refusal({ viability: { maxDrawdwn: 0.1 } })).toMatch(/viability\.maxDrawdwn: unknown field/);
    expect(refusal({ viability: { maxHedgedDrawdown: '0.1' } })).toMatch(/viability\.maxHedgedDrawdown: must be a number/);
    expect(refusal({ viability: 3 })).toMatch(/viability: must be an object/);
    // "Tighter" than 0 drawdown is not a drawdown: the schema still validates the result.
    expect(refusal({ viability: { maxHedgedDrawdown: -0.1 } })).toMatch(/viability\.maxHedgedDrawdown: must be ≥ 0/);
  });
});

describe('configHash', () => {
  it('is sha256 of the canonical JSON: key order does not matter, any value change does', () => {
    const reordered = Object.fromEntries(Object.entries(DEFAULT_GATE_CONFIG).reverse()) as typeof DEFAULT_GATE_CONFIG;
    expect(Object.keys(reordered)[0]).toBe('confirmation');
    expect(configHash(reordered)).toBe(configHash(DEFAULT_GATE_CONFIG));
    expect(configHash(DEFAULT_GATE_CONFIG)).toBe(sha256(canonicalJson(DEFAULT_GATE_CONFIG)));
    expect(configHash(DEFAULT_GATE_CONFIG)).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(tightenOnly(DEFAULT_GATE_CONFIG, { viability: { maxHedgedDrawdown: 0.2 } }))).not.toBe(configHash(DEFAULT_GATE_CONFIG));
  });
});

describe('versioned gate config files (--gates FILE)', () => {
  const message = (raw: unknown): string => {
    try {
      versionedGateConfig(raw, 'loose.json');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('without a version it may only tighten, and its verdicts are gates@2', () => {
    const v = versionedGateConfig({ edge: { minT: 3 } }, 'tight.json');
    expect(v.version).toBe('gates@2');
    expect(v.config.edge.minT).toBe(3);
    expect(v.hash).toBe(configHash(v.config));
    expect(message({ edge: { minT: 1.5 } })).toBe('loose.json: edge.minT: 1.5 loosens 2 (only a value ≥ 2 tightens). A looser gate needs a new config version: add "version": "<a new name>" to the file, and every verdict will name it (docs/gates.md).');
    // Naming the default version explicitly does not make a loosening legal.
    expect(message({ version: 'gates@2', edge: { minT: 1.5 } })).toMatch(/^loose\.json: edge\.minT: 1\.5 loosens 2/);
  });

  it('a new version name may loosen; the verdicts then name it', () => {
    const v = versionedGateConfig({ version: 'gates@2-lab', edge: { minT: 1.5 } }, 'lab.json');
    expect(v).toMatchObject({ version: 'gates@2-lab', config: { edge: { minT: 1.5, minTrades: 30 } } });
    expect(v.hash).not.toBe(DEFAULT_VERSIONED_CONFIG.hash);
  });

  it('refuses what is not a config: a bad version, an unknown field, a non-object', () => {
    expect(message({ version: 3 })).toBe('loose.json: version: must be a non-empty string');
    expect(message({ version: 'x', edge: { minTee: 2 } })).toBe('loose.json: edge.minTee: unknown field');
    expect(message([1])).toBe('loose.json: (root): must be a JSON object of gate thresholds, optionally with "version"');
  });
});
