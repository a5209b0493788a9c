import { describe, expect, it } from 'vitest';
import { candidateIntervals, ladderCheck, ladderNeighbours, ladderNext, ladderPrev } from '../../src/core/director/intervals.ts';
import { candidateSymbols, initialSelection, memoUniverse } from '../../src/core/director/symbols.ts';
import { UserError } from '../../src/core/errors.ts';
import type { Interval } from '../../src/core/intervals.ts';
import { InvariantError } from '../../src/core/invariants.ts';
import type { Meta } from '../../src/core/spec/schema.ts';
import { fakeUniverse, universe } from './director-fixtures.ts';

const ALL: Interval[] = ['1m', '5m', '10m', '15m', '30m', '1h', '4h', '1d'];
const meta = (style: Meta['style'], holding_period: Meta['holding_period'], volatility_preference: Meta['volatility_preference'] = 'any', market_type: Meta['market_type'] = 'equities'): Meta =>
  ({ style, holding_period, volatility_preference, market_type });

describe('candidateIntervals', () => {
  // Expectations written from the rule table in intervals.ts, not from a run of the code.
  const table: Array<[Meta['style'], Meta['holding_period'], Interval[]]> = [
    ['mean_reversion', 'intraday', ['1m', '5m', '15m', '1h']],
    ['mean_reversion', 'short', ['5m', '15m', '1h', '4h', '1d']],
    ['mean_reversion', 'medium', ['1h', '4h', '1d']],
    ['mean_reversion', 'long', ['1d', '4h']],
    ['trend_following', 'intraday', ['1h', '15m', '5m', '1m']],
    ['trend_following', 'short', ['4h', '1h', '15m', '5m', '1d']],
    ['trend_following', 'long', ['1d', '4h']],
    ['momentum', 'medium', ['1d', '4h', '1h']],
    ['breakout', 'medium', ['4h', '1h', '1d']],
    ['breakout', 'short', ['1h', '15m', '4h', '5m', '1d']],
    ['other', 'intraday', ['5m', '1m', '15m', '1h']],
  ];
  for (const [style, holding, want] of table) {
    it(`${style} × ${holding} → ${want.join(' ')}`, () => {
      expect(candidateIntervals(meta(style, holding), ALL)).toEqual(want);
    });
  }

  it('offers only available ladder intervals; intraday never gets 1d', () => {
    expect(candidateIntervals(meta('mean_reversion', 'short'), ['1d', '10m'])).toEqual(['1d']);
    expect(candidateIntervals(meta('mean_reversion', 'intraday'), ['1d', '4h'])).toEqual([]);
    expect(candidateIntervals(meta('trend_following', 'long'), ['1h', '4h'])).toEqual(['4h']);
  });
});

describe('the ladder (I3)', () => {
  it('steps one rung', () => {
    expect(ladderNext('1m')).toBe('5m');
    expect(ladderNext('4h')).toBe('1d');
    expect(ladderNext('1d')).toBeNull();
    expect(ladderPrev('5m')).toBe('1m');
    expect(ladderPrev('1m')).toBeNull();
    expect(ladderNext('10m')).toBeNull();
    expect(ladderNeighbours('15m')).toEqual(['5m', '1h']);
    expect(ladderNeighbours('1d')).toEqual(['4h']);
  });

  it('allows exactly one step up or down', () => {
    expect(() => ladderCheck('15m', '1h')).not.toThrow();
    expect(() => ladderCheck('1h', '15m')).not.toThrow();
    expect(() => ladderCheck('4h', '1d')).not.toThrow();
  });

  it('throws I3 for skips, no-ops and off-ladder intervals', () => {
    for (const [from, to] of [['1m', '15m'], ['1d', '1h'], ['1h', '1h'], ['10m', '15m'], ['5m', '30m']] as Array<[Interval, Interval]>) {
      let err: unknown;
      try { ladderCheck(from, to); } catch (e) { err = e; }
      expect(err, `${from} → ${to}`).toBeInstanceOf(InvariantError);
      expect((err as InvariantError).code).toBe('I3');
    }
    expect(() => ladderCheck('1m', '15m')).toThrow(/2 steps; the next rungs from 1m are 5m/);
  });
});

describe('candidateSymbols', () => {
  const u = universe();
  const pick = (pref: Meta['volatility_preference'], count = 20, extra: { exclude?: string[]; sector?: string } = {}) =>
    candidateSymbols(meta('mean_reversion', 'short', pref), u, '1d', { exclude: extra.exclude ?? [], count, ...(extra.sector === undefined ? {} : { sector: extra.sector }) });

  it('high → volatility descending, NaN last; crypto filtered out by market type', () => {
    expect(pick('high')).toEqual(['AMD', 'NVDA', 'MU', 'SLB', 'AAPL', 'XOM', 'CVX', 'MSFT', 'PFE', 'MRK', 'JNJ', 'XYZ']);
  });

  it('low → ascending', () => {
    expect(pick('low', 4)).toEqual(['JNJ', 'MRK', 'PFE', 'MSFT']);
  });

  it('medium → closest to the market median (0.28) first', () => {
    expect(pick('medium', 6)).toEqual(['XOM', 'CVX', 'AAPL', 'MSFT', 'PFE', 'MRK']);
    // The target stays the whole market's median when symbols are excluded.
    expect(pick('medium', 2, { exclude: ['XOM'] })).toEqual(['CVX', 'AAPL']);
  });

  it('any → round-robin over sectors, the sector with fewest symbols so far first', () => {
    expect(pick('any', 7)).toEqual(['CVX', 'JNJ', 'AAPL', 'SLB', 'MRK', 'AMD', 'XOM']);
    // Two Tech names already tested: Energy and Health catch up first.
    expect(pick('any', 7, { exclude: ['AAPL', 'MSFT'] })).toEqual(['CVX', 'JNJ', 'SLB', 'MRK', 'XOM', 'PFE', 'AMD']);
  });

  it('respects exclude, sector and the interval', () => {
    expect(pick('high', 3, { sector: 'Tech', exclude: ['AMD'] })).toEqual(['NVDA', 'MU', 'AAPL']);
    expect(candidateSymbols(meta('mean_reversion', 'short', 'high'), u, '1h', { exclude: [], count: 5 })).toEqual(['AAPL', 'MSFT']);
    expect(candidateSymbols(meta('mean_reversion', 'short', 'high', 'crypto'), u, '1h', { exclude: [], count: 5 })).toEqual(['BTCUSD']);
    expect(pick('high', 0)).toEqual([]);
  });
});

describe('initialSelection', () => {
  it('takes the first candidate interval that hosts five symbols: 1d for a short mean reversion on a daily universe', () => {
    // 5m … 4h exist for AAPL and MSFT only; 1d has twelve equities.
    expect(initialSelection(meta('mean_reversion', 'short', 'high'), universe())).toEqual({ interval: '1d', symbols: ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL'] });
  });

  it('takes the lowest candidate when it has enough symbols', () => {
    const u = fakeUniverse(['A1', 'A2', 'B1', 'B2', 'C1', 'C2'].map((s, i) => [s, s[0]!, 0.1 + i / 100, ['15m', '1h', '4h', '1d']]));
    expect(initialSelection(meta('mean_reversion', 'short', 'low'), u)).toEqual({ interval: '15m', symbols: ['A1', 'A2', 'B1', 'B2', 'C1'] });
  });

  it('falls back to the candidate with most symbols, earlier candidates winning ties', () => {
    expect(initialSelection(meta('trend_following', 'intraday', 'any', 'crypto'), universe())).toEqual({ interval: '1h', symbols: ['BTCUSD'] });
  });

  it('refuses a market with no usable data', () => {
    expect(() => initialSelection(meta('momentum', 'short', 'any', 'forex'), universe())).toThrow(UserError);
    expect(() => initialSelection(meta('momentum', 'intraday'), fakeUniverse([['X', 'S', 0.2, ['1d']]]))).toThrow(/intraday-holding momentum/);
  });
});

describe('memoUniverse', () => {
  it('asks the underlying view once per symbol list and once per series', () => {
    const calls: string[] = [];
    const base = fakeUniverse([['A', 'S', 0.1], ['B', 'S', 0.2]]);
    const u = memoUniverse({ symbols: () => { calls.push('symbols'); return base.symbols(); }, realizedVol: (k) => { calls.push(k.symbol); return base.realizedVol(k); } });
    const m = meta('mean_reversion', 'short', 'medium');
    expect(candidateSymbols(m, u, '1d', { exclude: [], count: 2 })).toEqual(candidateSymbols(m, u, '1d', { exclude: [], count: 2 }));
    expect(calls).toEqual(['symbols', 'A', 'B']);
  });
});
