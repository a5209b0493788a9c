/**
 * Pine as people publish it: TradingView's built-in "RSI Strategy" (v4 and v5) and the idioms
 * around it — `not na(x)` guards, `strategy.position_size` / `strategy.opentrades` guards around
 * orders, percent stops and targets from `strategy.position_avg_price` with inputs, `slippage=`
 * and cash commissions in strategy(), the `// @gauntlet` annotation — each fixture (17–33 in
 * fixtures/pine, INDEX.md) with its spec written out by hand from the script, and the scripts
 * that must be refused or are malformed with the whole message.
 */
import { describe, expect, it } from 'vitest';
import type { Spec } from '../../src/core/spec/schema.ts';
import { translate } from '../../src/agents/translate/index.ts';
import { fixture, refusal } from './pine-fixtures.ts';


const none = { long_entry: null, long_exit: null, short_entry: null, short_exit: null };
const meta = (style: Spec['meta']['style'], holding_period: Spec['meta']['holding_period'], market_type: Spec['meta']['market_type'] = 'equities'): Spec['meta'] =>
  ({ style, holding_period, volatility_preference: 'any', market_type });
const spec = (s: Omit<Spec, 'schema' | 'risk' | 'execution'> & Partial<Pick<Spec, 'risk' | 'execution'>>): Spec => ({
  schema: 'gauntlet/spec@1', risk: { stop_loss_pct: null, take_profit_pct: null }, execution: { fees_bps: 5, slippage_bps: 5 }, ...s,
});

// TradingView's built-in: input(14) etc. have no bounds, so the documented default range [max(1, ⌊v/4⌋), 4v] step 1 applies.
const TV_RSI = spec({
  name: 'rsi-strategy', idea: 'RSI Strategy', meta: meta('mean_reversion', 'short'),
  params: { length: { value: 14, min: 3, max: 56, step: 1 }, overSold: { value: 30, min: 7, max: 120, step: 1 }, overBought: { value: 70, min: 17, max: 280, step: 1 } },
  indicators: { rsi_length: { fn: 'rsi', source: 'close', period: '$length' } },
  // `not na(vrsi)` is implied by the crossings, which read vrsi (false while it is undefined): it leaves no trace.
  rules: { ...none, long_entry: ['rsi_length', 'crosses_above', '$overSold'], short_entry: ['rsi_length', 'crosses_below', '$overBought'] },
});

const EXPECTED: Record<string, Spec> = {
  '17-tv-rsi-strategy-v4': TV_RSI,
  '18-tv-rsi-strategy-v5': TV_RSI,
  '19-ema-cross-position-guards': spec({
    name: 'ema-9-21-cross-long-only', idea: 'EMA 9/21 cross, long only', meta: meta('trend_following', 'medium'), // slow 21 > 20
    params: { fastLen: { value: 9, min: 2, max: 50, step: 1 }, slowLen: { value: 21, min: 5, max: 200, step: 1 } },
    indicators: { ema_fastLen: { fn: 'ema', source: 'close', period: '$fastLen' }, ema_slowLen: { fn: 'ema', source: 'close', period: '$slowLen' } },
    // position_size == 0 on the only side's entry and > 0 around its close: both guards are what the spec does anyway.
    rules: { ...none, long_entry: ['ema_fastLen', 'crosses_above', 'ema_slowLen'], long_exit: ['ema_fastLen', 'crosses_below', 'ema_slowLen'] },
  }),
  '20-rsi2-percent-stop-inputs': spec({
    name: 'rsi-2-dip-buyer-with-stop-and-target', idea: 'RSI(2) dip buyer with % stop and target', meta: meta('mean_reversion', 'short'),
    params: { rsiLen: { value: 2, min: 2, max: 10, step: 1 }, buyLevel: { value: 10, min: 1, max: 30, step: 1 }, exitLevel: { value: 70, min: 50, max: 95, step: 5 } },
    indicators: { rsi_rsiLen: { fn: 'rsi', source: 'close', period: '$rsiLen' } },
    rules: { ...none, long_entry: ['rsi_rsiLen', '<', '$buyLevel'], long_exit: ['rsi_rsiLen', '>', '$exitLevel'] },
    // position_avg_price × (1 − 5/100) and × (1 + 8/100), the inputs at their defaults.
    risk: { stop_loss_pct: 5, take_profit_pct: 8 },
    execution: { fees_bps: 5, slippage_bps: 5 }, // commission_value=0.05 % = 5 bps; slippage unstated → equities default
  }),
  '21-sma-cross-slippage-ticks': spec({
    name: 'golden-cross-with-costs', idea: 'Golden cross with costs', meta: meta('trend_following', 'long'),
    params: {}, indicators: { sma50: { fn: 'sma', source: 'close', period: 50 }, sma200: { fn: 'sma', source: 'close', period: 200 } },
    rules: { ...none, long_entry: ['sma50', 'crosses_above', 'sma200'], long_exit: ['sma50', 'crosses_below', 'sma200'] },
    execution: { fees_bps: 10, slippage_bps: 5 }, // 0.1 % = 10 bps; 2 ticks → the equities default 5 bps (warned)
  }),
  '22-cash-commission-breakout': spec({
    name: '20-day-high-breakout-1-per-order', idea: '20-day high breakout, $1 per order', meta: meta('breakout', 'short'),
    params: { len: { value: 20, min: 5, max: 100, step: 1 } },
    indicators: { highest_len: { fn: 'highest', source: 'high', period: '$len' }, lowest_len: { fn: 'lowest', source: 'low', period: '$len' } },
    rules: { ...none, long_entry: ['close', '>', 'highest_len[1]'], long_exit: ['close', '<', 'lowest_len[1]'] },
  }),
  '23-bollinger-not-na-guard': spec({
    name: 'bollinger-bands-reversion-with-na-guard', idea: 'Bollinger Bands reversion with na guard', meta: meta('mean_reversion', 'short'),
    // length: minval 1, no maxval → [1, 4·20]; mult: float step 0.1, minval 0.001 pulled onto the grid through 2.0 → 0.1.
    params: { length: { value: 20, min: 1, max: 80, step: 1 }, mult: { value: 2, min: 0.1, max: 50, step: 0.1 } },
    indicators: { bb_length_mult: { fn: 'bbands', source: 'close', period: '$length', stddev: '$mult' } },
    // not na(middle) is implied: the three bands are defined on the same bars, and the crossing reads one of them.
    rules: { ...none, long_entry: ['close', 'crosses_above', 'bb_length_mult.lower'], short_entry: ['close', 'crosses_below', 'bb_length_mult.upper'] },
  }),
  '24-opentrades-flat-macd': spec({
    name: 'macd-zero-line-one-trade-at-a-time', idea: 'MACD zero-line, one trade at a time', meta: meta('trend_following', 'medium'),
    params: {}, indicators: { macd12_26_9: { fn: 'macd', source: 'close', fast: 12, slow: 26, signal: 9 } },
    rules: { ...none, long_entry: ['macd12_26_9.macd', 'crosses_above', 0], long_exit: ['macd12_26_9.macd', 'crosses_below', 'macd12_26_9.signal'] },
  }),
  '25-donchian-both-sides-guarded': spec({
    name: 'turtle-style-20-10-channel', idea: 'Turtle-style 20/10 channel', meta: meta('breakout', 'short'),
    params: { entryLen: { value: 20, min: 5, max: 60, step: 1 }, exitLen: { value: 10, min: 2, max: 30, step: 1 } },
    indicators: {
      highest_entryLen: { fn: 'highest', source: 'high', period: '$entryLen' }, lowest_exitLen: { fn: 'lowest', source: 'low', period: '$exitLen' },
      lowest_entryLen: { fn: 'lowest', source: 'low', period: '$entryLen' }, highest_exitLen: { fn: 'highest', source: 'high', period: '$exitLen' },
    },
    rules: { long_entry: ['close', '>', 'highest_entryLen[1]'], long_exit: ['close', '<', 'lowest_exitLen[1]'], short_entry: ['close', '<', 'lowest_entryLen[1]'], short_exit: ['close', '>', 'highest_exitLen[1]'] },
  }),
  '26-v4-when-stop': spec({
    name: 'stochastic-rsi-free-k-cross-v4', idea: 'Stochastic RSI-free %K cross, v4', meta: meta('mean_reversion', 'short'),
    params: { periodK: { value: 14, min: 1, max: 56, step: 1 } },
    indicators: { stoch_periodK_3: { fn: 'stoch', period: '$periodK', signal: 3 } },
    rules: { ...none, long_entry: { all: [['stoch_periodK_3.k', 'crosses_above', 'stoch_periodK_3.d'], ['stoch_periodK_3.k', '<', 20]] }, long_exit: ['stoch_periodK_3.k', '>', 80] },
    risk: { stop_loss_pct: 3, take_profit_pct: null }, execution: { fees_bps: 4, slippage_bps: 5 },
  }),
  '27-macd-hist-exit-guard': spec({
    name: 'macd-histogram-flip-with-trend-filter', idea: 'MACD histogram flip with trend filter', meta: meta('trend_following', 'long'), // trend 100
    params: {
      fastLength: { value: 12, min: 1, max: 48, step: 1 }, slowLength: { value: 26, min: 1, max: 104, step: 1 },
      signalLength: { value: 9, min: 1, max: 36, step: 1 }, trendLen: { value: 100, min: 20, max: 300, step: 1 },
    },
    indicators: {
      macd_fastLength_slowLength_signalLength: { fn: 'macd', source: 'close', fast: '$fastLength', slow: '$slowLength', signal: '$signalLength' },
      sma_trendLen: { fn: 'sma', source: 'close', period: '$trendLen' },
    },
    rules: {
      ...none,
      long_entry: { all: [['macd_fastLength_slowLength_signalLength.histogram', 'crosses_above', 0], ['close', '>', 'sma_trendLen']] },
      long_exit: ['macd_fastLength_slowLength_signalLength.histogram', '<', 0],
    },
    execution: { fees_bps: 2, slippage_bps: 0 },
  }),
  '28-annotated-crypto-rsi': spec({
    // holding=short and market=crypto from the annotation, although SMA(200) alone would say long and equities.
    name: 'btc-rsi-2-with-sma-200-filter', idea: 'BTC RSI(2) with SMA(200) filter', meta: meta('mean_reversion', 'short', 'crypto'),
    params: {}, indicators: { rsi2: { fn: 'rsi', source: 'close', period: 2 }, sma200: { fn: 'sma', source: 'close', period: 200 } },
    rules: { ...none, long_entry: { all: [['rsi2', '<', 10], ['close', '>', 'sma200']] }, long_exit: ['rsi2', '>', 70] },
    execution: { fees_bps: 10, slippage_bps: 5 }, // 0.1 %; slippage unstated → the crypto default 5 bps
  }),
  '33-keltner-flat-entry-guard': spec({
    name: 'keltner-channel-breakout-flat-entries', idea: 'Keltner channel breakout, flat entries', meta: meta('breakout', 'short'),
    params: { len: { value: 20, min: 5, max: 50, step: 1 }, mult: { value: 1.5, min: 0.5, max: 4, step: 0.5 } },
    indicators: { kc_len_mult: { fn: 'keltner', source: 'close', period: '$len', multiplier: '$mult' } },
    // position_size <= 0 (flat or short) on a long-only entry, != 0 around the close: both exact.
    rules: { ...none, long_entry: ['close', 'crosses_above', 'kc_len_mult.upper'], long_exit: ['close', '<', 'kc_len_mult.middle'] },
    execution: { fees_bps: 3, slippage_bps: 5 },
  }),
};

describe('Pine as published: fixtures 17–33 translate to the hand-written specs', () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(name, () => {
      expect(translate(fixture(name), { source: `${name}.pine` }).spec).toEqual(want);
    });
  }

  it('says where the spec is not literal: ticks, cash commissions, fixed risk inputs', () => {
    expect(translate(fixture('21-sma-cross-slippage-ticks')).warnings).toContain('line 2: slippage=2 is in ticks, which depend on the instrument\'s tick size and price, so the spec uses the market\'s default slippage in basis points instead; to set it exactly, add the line "// @gauntlet slippage_bps=N" to the script');
    expect(translate(fixture('22-cash-commission-breakout')).warnings).toContain('line 2: the strategy.commission.cash_per_order commission of 1 is in currency, which depends on the position size and price, so the spec uses the market\'s default fees in basis points instead; to set them exactly, use commission_type=strategy.commission.percent or add the line "// @gauntlet fees_bps=N" to the script');
    expect(translate(fixture('20-rsi2-percent-stop-inputs')).warnings).toContain('line 16: the stop/target level is fixed at the default of input `stopPct` (line 7) = 5, input `tpPct` (line 8) = 8: spec risk levels are literal numbers, so the optimizer will not vary them');
  });

  it('an annotation sets exact costs in bps, which win over ticks', () => {
    const text = fixture('21-sma-cross-slippage-ticks').replace('//@version=5', '//@version=5\n// @gauntlet slippage_bps=3 fees_bps=2.5');
    expect(translate(text).spec.execution).toEqual({ fees_bps: 2.5, slippage_bps: 3 });
  });

  it('says which meta fields were inferred, from what, and what follows; stated fields are not mentioned', () => {
    expect(translate(fixture('21-sma-cross-slippage-ticks')).warnings.at(-1)).toBe('meta: holding period long, inferred from the longest lookback of 200 bars (≤ 20 short, ≤ 60 medium, else long): the Director tries 1d first among 4h 1d and the Reviewer expects holds of 60+ days; market equities, by default (nothing in the idea names a market): symbols come from the universe\'s equities and unstated costs default to 5 + 5 bps. To choose instead, add the line "// @gauntlet holding=short|medium|long|intraday market=equities|crypto|futures|forex" to the script.');
    expect(translate(fixture('28-annotated-crypto-rsi')).warnings).toEqual(['costs: the idea states no slippage; using the crypto default of 5 bps slippage per fill (docs/costs.md)']);
  });
});

describe('Pine constructs outside spec v1 are refused naming the construct and the line; malformed Pine is a syntax error', () => {
  // 29 (an ATR stop Pine recomputes every bar) is in translate-pine-atr.test.ts, with the ATR forms that translate.

  it('30: stop-entry orders in a one-cancels-all group', () => {
    const e = refusal(fixture('30-REFUSE-stop-entry-oca'), 'f.pine');
    expect(e.line).toBe(6);
    expect(e.message.split('\n')[0]).toBe('f.pine:6: `strategy.oca.cancel` is not in the supported Pine subset: one-cancels-all groups tie together pending stop/limit orders, and spec entries are market orders at the next bar\'s open: a fill at a price level inside the bar has no spec equivalent (docs/semantics.md). Enter on the close crossing the level instead (if close > level → strategy.entry(…) without stop=), which the spec fills at the next open.');
    // Without the OCA group, stop= itself is named.
    const plain = ['//@version=5', 'strategy("S")', 'hi = ta.highest(high, 5)[1]', 'if close > open', '    strategy.entry("B", strategy.long, stop=hi)'].join('\n');
    expect(refusal(plain).message).toBe('x.pine:5: `stop=` of strategy.entry is not in the supported Pine subset: it makes the entry a pending stop/limit order that fills at a price level inside a later bar, and spec entries are market orders at the next bar\'s open (docs/semantics.md). Enter on the close crossing the level instead: if close > level → strategy.entry(…) without stop=/limit=.');
  });

  it('31: a higher-timeframe filter through request.security', () => {
    expect(refusal(fixture('31-REFUSE-htf-security'), 'f.pine').message).toBe('f.pine:3: `request.security` is not in the supported Pine subset: it reads another symbol or timeframe, and spec v1 reads one series at one interval (a higher-timeframe filter has no spec operand; with lookahead on it would also read bars that have not closed). Write the filter on this chart\'s bars (a daily SMA(50) on hourly bars is roughly an SMA of 50 days\' worth of hours), or run the whole strategy on the higher interval.');
  });

  it('32: a missing ")" is a syntax error on its own line, naming where the "(" opened', () => {
    const e = refusal(fixture('32-REFUSE-syntax-missing-paren'), 'f.pine');
    expect(e.message).toBe('f.pine:4:40: syntax error: expected `)` to close `(` opened at 4:16, but line 5 starts a new statement. Fix the script (it would not compile on TradingView either) and translate it again.');
    expect([e.line, e.column]).toEqual([4, 40]);
    expect(e.message).not.toContain('not in the supported Pine subset');
  });

  const S = (...body: string[]): string => ['//@version=5', 'strategy("T")', ...body].join('\n');
  const cases: [string, string, string][] = [
    ['missing ) at the end of the script', S('if ta.crossover(close, ta.sma(close, 20)', '    strategy.entry("L", strategy.long)').split('\n').slice(0, 3).join('\n'),
      'x.pine:3:41: syntax error: expected `)` to close `(` opened at 3:16, but the script ends first. Fix the script (it would not compile on TradingView either) and translate it again.'],
    ['a stray )', S('if close > open)', '    strategy.entry("L", strategy.long)'),
      'x.pine:3:16: syntax error: `)` closes nothing: no `(` is open. Fix the script (it would not compile on TradingView either) and translate it again.'],
    ['( closed by ]', S('if ta.sma(close, 20] > close', '    strategy.entry("L", strategy.long)'),
      'x.pine:3:20: syntax error: expected `)` to close `(` opened at 3:10, found `]`. Fix the script (it would not compile on TradingView either) and translate it again.'],
    ['a missing operand', S('if close >', '    strategy.entry("L", strategy.long)'),
      'x.pine:3:11: syntax error: expected a value, found the end of the line. Fix the script (it would not compile on TradingView either) and translate it again.'],
    ['position_size as a number', S('if close > strategy.position_size', '    strategy.entry("L", strategy.long)'),
      'x.pine:3: `close > strategy.position_size` is not in the supported Pine subset: `strategy.position_size` is compared with a series; the subset reads it only compared with 0, as the sign of the position. Write strategy.position_size > 0 (long), < 0 (short) or == 0 (flat) in an if around the order.'],
    ['position guard in a rule', S('inLong = strategy.position_size > 0', 'if close > open', '    strategy.entry("L", strategy.long)', 'if close < open or inLong', '    strategy.close("L")'),
      'x.pine:6: `close < open or inLong` is not in the supported Pine subset: a position guard joined by `or` with a market condition has no spec equivalent. Join position guards with `and`, or use separate if blocks.'],
    ['na(x) as a condition', S('r = ta.rsi(close, 14)', 'if na(r)', '    strategy.entry("L", strategy.long)'),
      'x.pine:4: `na(r)` is not in the supported Pine subset: na(x) is true only while x is undefined (warm-up), and a spec condition that reads an undefined value is false. Use not na(x) as a guard, or drop the test: spec conditions are false until their indicators are defined.'],
    ['a flat-only entry in a strategy that also goes short', S('if strategy.position_size == 0 and close > open', '    strategy.entry("L", strategy.long)', 'if close < open', '    strategy.entry("S", strategy.short)'),
      'x.pine:4: the position guard around strategy.entry("L") is not in the supported Pine subset: it keeps the entry from reversing an open short position, but spec entries always reverse the opposite position. Remove the guard, or close the short position with strategy.close first.'],
    ['an unknown annotation key', ['//@version=5', '// @gauntlet holding=short horizon=3', 'strategy("T")', 'if close > open', '    strategy.entry("L", strategy.long)'].join('\n'),
      'x.pine:2: the annotation `horizon=3` is not in the supported Pine subset: "horizon" is not a key the annotation knows. Write // @gauntlet with holding=short|medium|long|intraday, market=equities|crypto|futures|forex, style=mean_reversion|trend_following|breakout|momentum|other, fees_bps=N, slippage_bps=N.'],
  ];
  for (const [label, text, message] of cases) {
    it(label, () => expect(refusal(text).message).toBe(message));
  }
});

describe('position guards and na tests translate exactly', () => {
  const S = (...body: string[]): string => ['//@version=5', 'strategy("T")', ...body].join('\n');
  it('not na(x) stays as x <= x (true exactly when x is defined) when nothing else reads x', () => {
    const r = translate(S('a = ta.sma(close, 50)', 'if not na(a) and close > open', '    strategy.entry("L", strategy.long)'));
    expect(r.spec.rules.long_entry).toEqual({ all: [['sma50', '<=', 'sma50'], ['close', '>', 'open']] });
  });
  it('a close or exit under a guard that excludes its side never acts, and says so', () => {
    const r = translate(S('if close > open', '    strategy.entry("L", strategy.long)', 'if strategy.position_size < 0 and close < open', '    strategy.close("L")'));
    expect(r.spec.rules.long_exit).toBeNull();
    expect(r.warnings).toContain('line 6: strategy.close("L") is inside a position guard that excludes a long position, so it never acts and is dropped');
  });
  it('else of a position guard is the other states', () => {
    const r = translate(S('if strategy.position_size > 0', '    if close < open', '        strategy.close("L")', 'else', '    if close > open', '        strategy.entry("L", strategy.long)'));
    expect(r.spec.rules).toEqual({ long_entry: ['close', '>', 'open'], long_exit: ['close', '<', 'open'], short_entry: null, short_exit: null });
  });
});
