/**
 * Pine ATR stops and targets → spec v1.1 `risk.stop_atr` / `risk.target_atr` (docs/semantics.md, "What
 * Pine constructs mean here"): the captured-at-entry form translates, with its specs written out
 * by hand from the scripts (fixtures 34, 35) and 34 run on real data against a second
 * implementation; every form that means something else is refused, naming the construct and line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Spec } from '../../src/core/spec/schema.ts';
import { translate } from '../../src/agents/translate/index.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { loadBundledUniverse, type Universe } from '../../src/engine/data/universe.ts';
import { LONG_ENTRY, LONG_EXIT } from '../../src/engine/backtest/types.ts';
import { refAtr, refAtrRun } from '../reference/atr-backtest.ts';
import { fixture, refusal } from './pine-fixtures.ts';

const meta = (style: Spec['meta']['style']): Spec['meta'] => ({ style, holding_period: 'short', volatility_preference: 'any', market_type: 'equities' });

const EXPECTED: Record<string, Spec> = {
  '34-atr-capture-breakout': {
    schema: 'gauntlet/spec@1.1', name: 'breakout-with-an-atr-stop-taken-at-the-entry', idea: 'Breakout with an ATR stop taken at the entry',
    meta: meta('breakout'), params: {}, // the inputs feed only the levels, which are literal numbers
    indicators: { highest20: { fn: 'highest', source: 'high', period: 20 }, lowest10: { fn: 'lowest', source: 'low', period: 10 } },
    // `and strategy.position_size == 0` only keeps Pine from re-capturing while long: the spec's entry does nothing then anyway.
    rules: { long_entry: ['close', 'crosses_above', 'highest20[1]'], long_exit: ['close', 'crosses_below', 'lowest10[1]'], short_entry: null, short_exit: null },
    // stop = position_avg_price − mult·atrAtEntry, mult = 2 (input default), atrAtEntry := ta.atr(atrLen = 14); limit = + 3·atrAtEntry.
    risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 2, period: 14 }, target_atr: { mult: 3, period: 14 } },
    execution: { fees_bps: 5, slippage_bps: 5 }, // commission 0.05 % = 5 bps; slippage unstated → the equities default
  },
  '35-atr-both-sides-rsi': {
    schema: 'gauntlet/spec@1.1', name: 'rsi-swings-with-atr-stop-and-target', idea: 'RSI swings with ATR stop and target',
    meta: meta('mean_reversion'), params: {},
    indicators: { rsi14: { fn: 'rsi', source: 'close', period: 14 } },
    rules: { long_entry: ['rsi14', 'crosses_above', 30], long_exit: null, short_entry: ['rsi14', 'crosses_below', 70], short_exit: null },
    // Long: − 1.5·entryAtr / + 2.5·entryAtr; short: + 1.5 / − 2.5 (written entryAtr * 2.5): the same levels mirrored.
    risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 1.5, period: 20 }, target_atr: { mult: 2.5, period: 20 } },
    execution: { fees_bps: 5, slippage_bps: 5 },
  },
};

describe('Pine ATR levels captured at the entry translate to spec v1.1', () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(name, () => expect(translate(fixture(name), { source: `${name}.pine` }).spec).toEqual(want));
  }

  it('34 says what each level became, which inputs were fixed, and where Pine and the spec differ', () => {
    expect(translate(fixture('34-atr-capture-breakout')).warnings.slice(0, 4)).toEqual([
      'line 13: the stop is 2 × ATR(14) from the entry price, ATR taken on the entry\'s signal bar (`atrAtEntry`, assigned on line 10): spec v1.1 risk.stop_atr, fixed for the trade (docs/semantics.md); while ATR(14) is undefined (the first 14 bars) the spec does not enter, where Pine enters without this level',
      'line 13: the target is 3 × ATR(14) from the entry price, ATR taken on the entry\'s signal bar (`atrAtEntry`, assigned on line 10): spec v1.1 risk.target_atr, fixed for the trade (docs/semantics.md); while ATR(14) is undefined (the first 14 bars) the spec does not enter, where Pine enters without this level',
      'line 13: the stop/target level is fixed at the default of input `mult` (line 4) = 2, input `atrLen` (line 3, the ATR length) = 14: spec risk levels are literal numbers, so the optimizer will not vary them',
      'line 13: Pine arms strategy.exit levels from the bar after the entry fills (position_avg_price is na until then); the spec checks its stop and target from the fill bar on (docs/semantics.md)',
    ]);
  });

  it('35, whose entries are not guarded by the position, says that Pine re-captures ATR while the position is open', () => {
    const w = translate(fixture('35-atr-both-sides-rsi')).warnings;
    expect(w).toContain('line 8: Pine assigns `entryAtr` again whenever strategy.entry("Long")\'s condition holds while the long position is open (the entry is then ignored, the assignment is not), which moves the level; the spec keeps the ATR of the signal bar of the entry that opened the position. Guard the block with strategy.position_size <= 0 to make the two agree');
    expect(w).toContain('line 11: Pine assigns `entryAtr` again whenever strategy.entry("Short")\'s condition holds while the short position is open (the entry is then ignored, the assignment is not), which moves the level; the spec keeps the ATR of the signal bar of the entry that opened the position. Guard the block with strategy.position_size >= 0 to make the two agree');
    // 34 is guarded (position_size == 0): no such warning.
    expect(translate(fixture('34-atr-capture-breakout')).warnings.filter((x) => x.includes('assigns'))).toEqual([]);
  });
});

describe('Pine ATR levels that mean something else are refused, naming the construct and the line', () => {
  it('29: ta.atr read in the exit moves with every bar', () => {
    expect(refusal(fixture('29-REFUSE-atr-stop'), 'f.pine').message).toBe('f.pine:9: `stop=` `strategy.position_avg_price - mult * atr` is not in the supported Pine subset: Pine recomputes `ta.atr(atrLen)` on every bar, so this level moves with each bar\'s ATR while the position is open, and spec v1.1 ATR levels are fixed at the ATR of the entry\'s signal bar (docs/semantics.md) (at `ta.atr(atrLen)`). Capture ATR beside the entry: `atrNow = ta.atr(atrLen)` and `var float atrAtEntry = na` at the top, `atrAtEntry := atrNow` in the if block that calls strategy.entry, then stop=strategy.position_avg_price - k * atrAtEntry (mirrored for shorts).');
  });

  it('36: a level from the signal bar\'s close kept in a var', () => {
    expect(refusal(fixture('36-REFUSE-atr-stop-from-close'), 'f.pine').message).toBe([
      'f.pine:3: `var` is not in the supported Pine subset: it keeps state across bars, and spec rules read only prices, indicators and their lags. Express the rule with indicators and lags (e.g. ta.highest(high, n)[1] for a running high).',
      'f.pine:6: `:=` reassignment is not in the supported Pine subset: it changes a variable after its declaration, which keeps state across bars or branches, and spec rules read only prices, indicators and their lags. To stop or take profit at k × ATR from the entry, capture ATR beside the entry (`atrNow = ta.atr(14)` and `var float atrAtEntry = na` at the top, `atrAtEntry := atrNow` in the entry\'s if block) and write stop=strategy.position_avg_price - k * atrAtEntry (docs/semantics.md).',
    ].join('\n'));
  });

  const S = (...body: string[]): string => ['//@version=5', 'strategy("T")', 'atrNow = ta.atr(14)', 'var float a = na', ...body].join('\n');
  const entry = ['if close > open', '    strategy.entry("L", strategy.long)'];
  const exit = 'strategy.exit("x", "L", stop=strategy.position_avg_price - 2 * a)';
  const cases: [string, string, string][] = [
    ['an assignment on every bar', S('a := atrNow', ...entry, exit),
      'x.pine:5: `a :=` at the top level is not in the supported Pine subset: it assigns on every bar, so a level read from it would follow each bar\'s ATR, and spec v1.1 fixes the ATR at the entry (docs/semantics.md). Assign a inside the if block that calls strategy.entry.'],
    ['ta.atr called inside the block', S(...entry, '    a := ta.atr(14)', exit),
      'x.pine:7: `a := ta.atr(14)` is not in the supported Pine subset: Pine computes a ta.* call inside an if block from the bars where the block runs only, so it is not ATR(n) of the chart, which the spec reads (docs/semantics.md). Declare atrNow = ta.atr(n) at the top level and write a := atrNow here.'],
    ['a value that is not ATR', S('m = ta.sma(close, 14)', ...entry, '    a := m', exit),
      'x.pine:8: `a := m` is not in the supported Pine subset: it is a series, and the one value the subset captures at an entry is ATR of that bar (spec v1.1 ATR levels, docs/semantics.md). Declare atrNow = ta.atr(n) at the top level and write a := atrNow here.'],
    ['an assignment away from any entry', S(...entry, '    a := atrNow', 'if close > high[1]', '    a := atrNow', exit),
      'x.pine:9: `a :=` is not in the supported Pine subset: it is not in an if block that calls strategy.entry, so it would change the level while a position is open, and spec v1.1 fixes the ATR at the entry. Assign a only in the if blocks that call strategy.entry.'],
    ['a stop above a long entry', S(...entry, '    a := atrNow', 'strategy.exit("x", "L", stop=strategy.position_avg_price + 2 * a)'),
      'x.pine:8: the stop of the exit from "L" is not in the supported Pine subset: it sits above the entry price of a long position, which is not a stop loss. Write strategy.position_avg_price - k * a with k > 0.'],
    ['an exit whose entry does not capture', S(...entry, '    a := atrNow', 'if close < open', '    strategy.entry("S", strategy.short)', 'strategy.exit("x", "S", stop=strategy.position_avg_price + 2 * a)'),
      'x.pine:10: `a` in the exit from "S" is not in the supported Pine subset: it is not assigned on the bars strategy.entry("S") on line 9 is called, so the level would use the ATR of another bar. Assign a := ta.atr(n) in the same if block as strategy.entry("S", …), with no when=.'],
    ['the captured value in a condition', S(...entry, '    a := atrNow', 'if close < strategy.position_avg_price - a', '    strategy.close("L")'),
      'x.pine:8: `a` is not in the supported Pine subset: it holds ATR captured at an entry (`var` on line 4), which the subset reads only in strategy.exit\'s stop= and limit= (spec v1.1 ATR levels). Read it only in stop=strategy.position_avg_price - k * a or limit=strategy.position_avg_price + k * a (mirrored for shorts).'],
    ['a percentage and an ATR in one level', S(...entry, '    a := atrNow', 'strategy.exit("x", "L", stop=strategy.position_avg_price * 0.98 - a)'),
      'x.pine:8: `stop=` `strategy.position_avg_price * 0.98 - a` is not in the supported Pine subset: an ATR level is strategy.position_avg_price plus or minus a constant times the ATR captured at the entry, and nothing else. Write strategy.position_avg_price * (1 - X / 100) for a long stop (1 + X / 100 for a target; mirrored for shorts).'],
  ];
  for (const [label, text, message] of cases) it(label, () => expect(refusal(text).message).toBe(message));

  it('a var that keeps other state is still refused as before', () => {
    expect(refusal(fixture('15-REFUSE-var-state'), 'f.pine').message.split('\n')[0]).toBe('f.pine:3: `var` is not in the supported Pine subset: it keeps state across bars, and spec rules read only prices, indicators and their lags. Express the rule with indicators and lags (e.g. ta.highest(high, n)[1] for a running high).');
  });
});

describe('34 on real data (AAPL 1d): signals from the rules written here, trades against a second implementation', () => {
  let universe: Universe;
  beforeAll(() => { universe = loadBundledUniverse(undefined, { cacheDir: null }); });

  it('every signal and every trade agree, and the first stop is where ATR at its signal bar puts it', () => {
    const spec = translate(fixture('34-atr-capture-breakout')).spec;
    const bars = universe.loadBars('AAPL', '1d', { repair: false }).bars;
    const { result, signals } = compile(spec).backtest(bars);
    const n = bars.close.length;
    // ta.crossover(close, ta.highest(high, 20)[1]) and ta.crossunder(close, ta.lowest(low, 10)[1]), the long way.
    const hi = (t: number): number => (t < 20 ? NaN : Math.max(...bars.high.subarray(t - 20, t)));
    const lo = (t: number): number => (t < 10 ? NaN : Math.min(...bars.low.subarray(t - 10, t)));
    const c = bars.close;
    const expected = new Uint8Array(n);
    for (let t = 1; t < n; t++) {
      if (c[t]! > hi(t) && c[t - 1]! <= hi(t - 1)) expected[t]! |= LONG_ENTRY;
      if (c[t]! < lo(t) && c[t - 1]! >= lo(t - 1)) expected[t]! |= LONG_EXIT;
    }
    expect(Array.from(signals)).toEqual(Array.from(expected));
    const ref = refAtrRun(bars, expected, 5 / 1e4, { mult: 2, period: 14 }, { mult: 3, period: 14 });
    expect(new Set(ref.map((t) => t.reason))).toEqual(new Set(['signal', 'stop', 'target', ...(ref.at(-1)!.reason === 'end' ? ['end'] : [])]));
    expect(result.trades.map((t) => [t.entryIndex, t.exitIndex, t.exitReason])).toEqual(ref.map((t) => [t.entryIndex, t.exitIndex, t.reason]));
    result.trades.forEach((t, k) => {
      expect(t.entryPrice).toBeCloseTo(ref[k]!.entryPrice, 9);
      expect(t.exitPrice).toBeCloseTo(ref[k]!.exitPrice, 9);
    });
    // The first stopped trade: entry = open after the signal × 1.0005; stop = entry − 2·ATR(14) of the signal bar; exit = stop (or the gap open) × 0.9995.
    const s = result.trades.find((t) => t.exitReason === 'stop')!;
    const entry = bars.open[s.entryIndex]! * 1.0005;
    const stop = entry - 2 * refAtr(bars, 14)[s.entryIndex - 1]!;
    expect(s.entryPrice).toBeCloseTo(entry, 9);
    expect(s.exitPrice).toBeCloseTo(Math.min(bars.open[s.exitIndex]!, stop) * 0.9995, 9);
    expect(bars.low[s.exitIndex]!).toBeLessThanOrEqual(stop);
  });
});
