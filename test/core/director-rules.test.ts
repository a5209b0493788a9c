import { describe, expect, it } from 'vitest';
import { candidateIntervals, ladderCheck, ladderNeighbours, ladderNext, ladderPrev } from '../../src/core/director/intervals.ts';
import { initialSelection, memoUniverse } from '../../src/core/director/symbols.ts';
import { balancedDraw, stratifiedDraw } from '../../src/core/director/screen.ts';
import type { UniverseView } from '../../src/core/research/ports.ts';
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

describe('stratifiedDraw / balancedDraw (the screen)', () => {
  const u = universe();
  const m = (pref: Meta['volatility_preference']): Meta => meta('mean_reversion', 'short', pref);

  it('draws per segment from the preferred half by volatility: high → upper, low → lower; crypto filtered by market type', () => {
    // Energy CVX .27 XOM .28 SLB .40; Health JNJ .15 MRK .18 PFE .20; Tech XYZ NaN MSFT .25 AAPL .30 MU .45 NVDA .50 AMD .60.
    const high = stratifiedDraw(m('high'), u, '1d', 2, { exclude: [], seed: 's' });
    expect(high.map((d) => d.segment)).toEqual(['Energy', 'Health', 'Tech']);
    expect(new Set(high[0]!.symbols)).toEqual(new Set(['XOM', 'SLB']));
    expect(new Set(high[1]!.symbols)).toEqual(new Set(['MRK', 'PFE']));
    for (const x of high[2]!.symbols) expect(['MU', 'NVDA', 'AMD']).toContain(x);
    const low = stratifiedDraw(m('low'), u, '1d', 2, { exclude: [], seed: 's' });
    expect(new Set(low[0]!.symbols)).toEqual(new Set(['CVX', 'XOM']));
    expect(new Set(low[1]!.symbols)).toEqual(new Set(['JNJ', 'MRK']));
    for (const x of low[2]!.symbols) expect(['XYZ', 'MSFT', 'AAPL']).toContain(x);
  });

  it('any and medium draw from the whole segment; exclude and segments restrict it', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 40; k++) for (const d of stratifiedDraw(m('any'), u, '1d', 1, { exclude: [], seed: `k${k}` })) seen.add(d.symbols[0]!);
    expect(seen).toEqual(new Set(['CVX', 'XOM', 'SLB', 'JNJ', 'MRK', 'PFE', 'XYZ', 'MSFT', 'AAPL', 'MU', 'NVDA', 'AMD']));
    expect(stratifiedDraw(m('any'), u, '1d', 5, { exclude: ['JNJ', 'MRK'], seed: 's', segments: ['Health'] })).toEqual([{ segment: 'Health', symbols: ['PFE'] }]);
  });

  it('leaves out symbols with under half the median visible history', () => {
    const base = universe();
    const short: UniverseView = { ...base, visibleBars: (k) => (k.symbol === 'SLB' || k.symbol === 'XOM' ? 400 : 1000) };
    const d = stratifiedDraw(m('high'), short, '1d', 3, { exclude: [], seed: 's' });
    expect(new Set(d[0]!.symbols)).toEqual(new Set(['CVX']));
  });

  it('balancedDraw: each pick to the segment with the fewest symbols so far, then the preferred half is followed by the rest', () => {
    // Tested: 4 Tech, 1 Energy, 0 Health → Health; then Energy and Health tie at 1 and Energy, the first by
    // name, wins; Health; Energy and Health tie at 2 → Energy; Health. Preferred halves first: Health MRK, PFE
    // then JNJ; Energy's untested CVX, XOM → XOM then CVX.
    const picks = balancedDraw(m('high'), u, '1d', 5, { exclude: ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL'], seed: 's' });
    expect(new Set([picks[0], picks[2]])).toEqual(new Set(['MRK', 'PFE']));
    expect(picks[1]).toBe('XOM');
    expect(picks[3]).toBe('CVX');
    expect(picks[4]).toBe('JNJ');
    expect(balancedDraw(m('high'), u, '1d', 0, { exclude: [], seed: 's' })).toEqual([]);
  });
});

describe('initialSelection', () => {
  it('takes the first candidate interval that hosts five symbols and draws two per segment, listed round-robin', () => {
    // 5m … 4h exist for AAPL and MSFT only; 1d has twelve equities in three segments.
    const sel = initialSelection(meta('mean_reversion', 'short', 'high'), universe(), 'seed');
    expect(sel.interval).toBe('1d');
    expect(sel.segments.map((d) => d.segment)).toEqual(['Energy', 'Health', 'Tech']);
    expect(sel.symbols).toEqual([0, 1].flatMap((k) => sel.segments.map((d) => d.symbols[k]!)));
    expect(sel.symbols).toHaveLength(6);
  });

  it('takes the lowest candidate when it has enough symbols', () => {
    const u = fakeUniverse(['A1', 'A2', 'B1', 'B2', 'C1', 'C2'].map((s, i) => [s, s[0]!, 0.1 + i / 100, ['15m', '1h', '4h', '1d']]));
    const sel = initialSelection(meta('mean_reversion', 'short', 'low'), u, 'seed');
    expect(sel.interval).toBe('15m');
    expect(new Set(sel.symbols)).toEqual(new Set(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']));
  });

  it('falls back to the candidate with most symbols, earlier candidates winning ties', () => {
    expect(initialSelection(meta('trend_following', 'intraday', 'any', 'crypto'), universe(), 'seed')).toEqual({ interval: '1h', symbols: ['BTCUSD'], segments: [{ segment: 'Crypto', symbols: ['BTCUSD'] }] });
  });

  it('refuses a market with no usable data', () => {
    expect(() => initialSelection(meta('momentum', 'short', 'any', 'forex'), universe(), 'seed')).toThrow(UserError);
    expect(() => initialSelection(meta('momentum', 'intraday'), fakeUniverse([['X', 'S', 0.2, ['1d']]]), 'seed')).toThrow(/intraday-holding momentum/);
  });
});

describe('memoUniverse', () => {
  it('asks the underlying view once per symbol list and once per series', () => {
    const calls: string[] = [];
    const base = fakeUniverse([['A', 'S', 0.1], ['B', 'S', 0.2], ['C', 'S', 0.3]]);
    const u = memoUniverse({ ...base, symbols: () => { calls.push('symbols'); return base.symbols(); }, realizedVol: (k) => { calls.push(k.symbol); return base.realizedVol(k); } });
    const m = meta('mean_reversion', 'short', 'high');
    expect(balancedDraw(m, u, '1d', 2, { exclude: [], seed: 'x' })).toEqual(balancedDraw(m, u, '1d', 2, { exclude: [], seed: 'x' }));
    expect(calls).toEqual(['symbols', 'A', 'B', 'C']);
  });
});
