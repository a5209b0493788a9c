/**
 * Market default costs (docs/costs.md): the table itself, which stated costs are kept, the warning's
 * whole text for each market, and the command-line override. Expected values are the ones the issue
 * fixes (equities 5 + 5, crypto 10 + 5, futures 2 + 5, forex 1 + 3 bps per fill), written out here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MARKET_DEFAULT_COSTS, resolveCosts, withCosts } from '../../src/core/spec/costs.ts';
import { logicHash } from '../../src/core/spec/hash.ts';
import { parseSpecText } from '../../src/core/spec/parse.ts';
import type { Spec } from '../../src/core/spec/schema.ts';

const NONE = { fees_bps: null, slippage_bps: null };

describe('MARKET_DEFAULT_COSTS', () => {
  it('is the issue\'s table, per fill in bps, and cannot be changed at run time', () => {
    expect(MARKET_DEFAULT_COSTS).toEqual({
      equities: { fees_bps: 5, slippage_bps: 5 },
      crypto: { fees_bps: 10, slippage_bps: 5 },
      futures: { fees_bps: 2, slippage_bps: 5 },
      forex: { fees_bps: 1, slippage_bps: 3 },
    });
    expect(Object.isFrozen(MARKET_DEFAULT_COSTS)).toBe(true);
    expect(Object.isFrozen(MARKET_DEFAULT_COSTS.equities)).toBe(true);
  });
});

describe('resolveCosts', () => {
  it('no costs stated: both defaults, and the warning names the market and both figures', () => {
    const cases = [
      ['equities', 5, 5],
      ['crypto', 10, 5],
      ['futures', 2, 5],
      ['forex', 1, 3],
    ] as const;
    for (const [market, fees, slippage] of cases) {
      expect(resolveCosts(NONE, market)).toEqual({
        execution: { fees_bps: fees, slippage_bps: slippage },
        warning: `costs: the idea states no costs; using the ${market} defaults of ${fees} bps fees + ${slippage} bps slippage per fill (docs/costs.md)`,
      });
    }
  });

  it('fees stated, slippage not: the fees are kept, only the slippage default is used and named', () => {
    expect(resolveCosts({ fees_bps: 2.5, slippage_bps: null }, 'crypto')).toEqual({
      execution: { fees_bps: 2.5, slippage_bps: 5 },
      warning: 'costs: the idea states no slippage; using the crypto default of 5 bps slippage per fill (docs/costs.md)',
    });
  });

  it('slippage stated, fees not: the slippage is kept, only the fees default is used and named', () => {
    expect(resolveCosts({ fees_bps: null, slippage_bps: 7 }, 'forex')).toEqual({
      execution: { fees_bps: 1, slippage_bps: 7 },
      warning: 'costs: the idea states no fees; using the forex default of 1 bps fees per fill (docs/costs.md)',
    });
  });

  it('both stated: kept as they are, no warning; a stated 0 is a statement, not an omission', () => {
    expect(resolveCosts({ fees_bps: 3, slippage_bps: 4 }, 'futures')).toEqual({ execution: { fees_bps: 3, slippage_bps: 4 }, warning: null });
    expect(resolveCosts({ fees_bps: 0, slippage_bps: 0 }, 'equities')).toEqual({ execution: { fees_bps: 0, slippage_bps: 0 }, warning: null });
    expect(resolveCosts({ fees_bps: 0, slippage_bps: null }, 'equities')).toEqual({
      execution: { fees_bps: 0, slippage_bps: 5 },
      warning: 'costs: the idea states no slippage; using the equities default of 5 bps slippage per fill (docs/costs.md)',
    });
  });
});

describe('withCosts (--fees / --slippage)', () => {
  const spec = parseSpecText(readFileSync('specs/rsi-reversion.json', 'utf8'), 'rsi-reversion.json');
  const at = (fees: number, slippage: number): Spec => ({ ...spec, execution: { fees_bps: fees, slippage_bps: slippage } });

  it('replaces only the costs given and leaves the input spec untouched', () => {
    const base = at(4, 6);
    const before = structuredClone(base);
    expect(withCosts(base, { fees_bps: 9 })).toEqual(at(9, 6));
    expect(withCosts(base, { slippage_bps: 0 })).toEqual(at(4, 0));
    expect(withCosts(base, { fees_bps: 1, slippage_bps: 2 })).toEqual(at(1, 2));
    expect(base).toEqual(before);
  });

  it('no override: the very same spec', () => {
    const base = at(4, 6);
    expect(withCosts(base, {})).toBe(base);
  });

  it('costs are part of the spec\'s hash, so an overridden spec is told apart from the translated one', () => {
    expect(logicHash(withCosts(at(4, 6), { fees_bps: 9 }))).not.toBe(logicHash(at(4, 6)));
    expect(logicHash(withCosts(at(4, 6), { fees_bps: 9 }))).toBe(logicHash(at(9, 6)));
  });
});
