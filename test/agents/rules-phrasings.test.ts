/**
 * Fifty phrasings of twelve common ideas, written as people type them (not as the grammar wants),
 * each with the spec logic it means, written by hand. With the rule language alone (no model),
 * the test counts how many translate to exactly that logic, requires at least 80 %, and requires
 * every one that does not to be refused (never mistranslated) with a "Did you mean:" rewrite that
 * does translate to the intended logic, plus the hint that a local model translates free text.
 * The count is printed (and asserted exactly, so a change in coverage is seen in review).
 */
import { describe, expect, it } from 'vitest';
import type { Condition, Indicator, Spec } from '../../src/core/spec/schema.ts';
import { translate, TranslationRefused } from '../../src/agents/translate/index.ts';
import { MODEL_HINT } from '../../src/agents/translate/rules/translate.ts';

interface Meaning {
  indicators: Record<string, Indicator>;
  rules: Partial<Spec['rules']>;
  risk?: Partial<Spec['risk']>;
}

const rsi = (n: number): Indicator => ({ fn: 'rsi', source: 'close', period: n });
const sma = (n: number): Indicator => ({ fn: 'sma', source: 'close', period: n });
const ema = (n: number): Indicator => ({ fn: 'ema', source: 'close', period: n });
const BB = { bb20_2: { fn: 'bbands', source: 'close', period: 20, stddev: 2 } as Indicator };
const MACD = { macd12_26_9: { fn: 'macd', source: 'close', fast: 12, slow: 26, signal: 9 } as Indicator };
const c = (l: string | number, op: Condition extends unknown ? string : never, r: string | number): Condition => [l, op, r] as Condition;

const IDEAS: Record<string, Meaning> = {
  'rsi14 reversion': { indicators: { rsi14: rsi(14) }, rules: { long_entry: c('rsi14', '<', 30), long_exit: c('rsi14', '>', 70) } },
  'rsi2 dips above sma200': {
    indicators: { rsi2: rsi(2), sma200: sma(200) },
    rules: { long_entry: { all: [c('rsi2', '<', 10), c('close', '>', 'sma200')] }, long_exit: c('rsi2', '>', 70) },
  },
  'golden cross': { indicators: { sma50: sma(50), sma200: sma(200) }, rules: { long_entry: c('sma50', 'crosses_above', 'sma200'), long_exit: c('sma50', 'crosses_below', 'sma200') } },
  'ema 12/26 cross': { indicators: { ema12: ema(12), ema26: ema(26) }, rules: { long_entry: c('ema12', 'crosses_above', 'ema26'), long_exit: c('ema12', 'crosses_below', 'ema26') } },
  'price vs sma200': { indicators: { sma200: sma(200) }, rules: { long_entry: c('close', 'crosses_above', 'sma200'), long_exit: c('close', 'crosses_below', 'sma200') } },
  'donchian breakout': {
    indicators: { highest20: { fn: 'highest', source: 'high', period: 20 }, lowest10: { fn: 'lowest', source: 'low', period: 10 } },
    rules: { long_entry: c('close', '>', 'highest20[1]'), long_exit: c('close', '<', 'lowest10[1]') },
  },
  'bollinger reversion': { indicators: BB, rules: { long_entry: c('close', '<', 'bb20_2.lower'), long_exit: c('close', '>', 'bb20_2.middle') } },
  'bollinger breakout': { indicators: BB, rules: { long_entry: c('close', 'crosses_above', 'bb20_2.upper'), long_exit: c('close', '<', 'bb20_2.middle') } },
  'macd signal cross': { indicators: MACD, rules: { long_entry: c('macd12_26_9.macd', 'crosses_above', 'macd12_26_9.signal'), long_exit: c('macd12_26_9.macd', 'crosses_below', 'macd12_26_9.signal') } },
  'rsi with stop and target': {
    indicators: { rsi14: rsi(14) }, rules: { long_entry: c('rsi14', '<', 30), long_exit: c('rsi14', '>', 70) }, risk: { stop_loss_pct: 5, take_profit_pct: 10 },
  },
  'short overbought rsi': { indicators: { rsi14: rsi(14) }, rules: { short_entry: c('rsi14', '>', 70), short_exit: c('rsi14', '<', 50) } },
  'stochastic oversold': {
    indicators: { stoch14_3: { fn: 'stoch', period: 14, signal: 3 } },
    rules: { long_entry: c('stoch14_3.k', 'crosses_above', 'stoch14_3.d'), long_exit: c('stoch14_3.k', '>', 80) },
  },
};

/** [phrasing, idea] — fifty, as a user types them: capitals, synonyms, commas, missing periods, stray words. */
const PHRASINGS: [string, keyof typeof IDEAS][] = [
  ['buy when rsi(14) < 30; sell when rsi(14) > 70', 'rsi14 reversion'],
  ['Buy when RSI is below 30, sell when RSI is above 70', 'rsi14 reversion'],
  ['buy when rsi under 30 and sell when rsi over 70', 'rsi14 reversion'],
  ['BUY WHEN RSI(14) < 30; SELL WHEN RSI(14) > 70', 'rsi14 reversion'],
  ['go long if rsi less than 30, exit when rsi greater than 70', 'rsi14 reversion'],
  ['buy when the 14-period rsi is below 30; sell when the 14 period rsi is above 70', 'rsi14 reversion'],
  ['buy when rsi2 < 10 and close > sma200; sell when rsi2 > 70', 'rsi2 dips above sma200'],
  ['Buy when RSI(2) is under 10 and price is above the 200-day SMA. Sell when RSI(2) is over 70.', 'rsi2 dips above sma200'],
  ['buy if rsi 2 below 10 and close above sma 200, sell if rsi 2 above 70', 'rsi2 dips above sma200'],
  ['buy when rsi(2) < 10 and price > 200 day moving average; exit when rsi(2) > 70', 'rsi2 dips above sma200'],
  ['buy the dip when rsi(2) under 10 while above the 200 sma, sell above 70', 'rsi2 dips above sma200'],
  ['buy when sma(50) crosses above sma(200); sell when sma(50) crosses below sma(200)', 'golden cross'],
  ['buy when the 50-day sma crosses over the 200-day sma, sell when it crosses under', 'golden cross'],
  ['Buy when SMA50 crosses over SMA200; sell when SMA50 crosses under SMA200', 'golden cross'],
  ['go long when 50 day moving average crosses above 200 day moving average; close when 50 day moving average crosses below 200 day moving average', 'golden cross'],
  ['golden cross: buy when sma 50 crosses above sma 200, sell on the death cross', 'golden cross'],
  ['buy when ema(12) crosses above ema(26); sell when ema(12) crosses below ema(26)', 'ema 12/26 cross'],
  ['Buy when EMA12 crosses over EMA26, sell when EMA12 crosses under EMA26', 'ema 12/26 cross'],
  ['buy when 12 ema crosses above 26 ema and sell when 12 ema crosses below 26 ema', 'ema 12/26 cross'],
  ['long when the 12-period exponential moving average crosses above the 26-period one; exit when it crosses back below', 'ema 12/26 cross'],
  ['buy when close crosses above sma(200); sell when close crosses below sma(200)', 'price vs sma200'],
  ['buy when price crosses above the 200-day moving average, sell when price crosses below it', 'price vs sma200'],
  ['Buy when price rises above SMA 200; sell when price falls below SMA 200', 'price vs sma200'],
  ['buy when the close crosses over the 200 sma, sell when the close crosses under the 200 sma', 'price vs sma200'],
  ['buy when close > highest(high, 20)[1]; sell when close < lowest(low, 10)[1]', 'donchian breakout'],
  ['buy when close > 20-day high; sell when close < 10-day low', 'donchian breakout'],
  ['Buy on a close above the 20 day high, sell on a close below the 10 day low', 'donchian breakout'],
  ['buy when price breaks the 20-bar high and sell when it breaks the 10-bar low', 'donchian breakout'],
  ['buy when close < bb(20, 2).lower; sell when close > bb(20, 2).middle', 'bollinger reversion'],
  ['buy when price is below the lower bollinger band, sell when price is above the middle band', 'bollinger reversion'],
  ['Buy when close under lower band; sell when close over middle band', 'bollinger reversion'],
  ['buy when the close is below the lower band (20, 2); exit at the middle band', 'bollinger reversion'],
  ['buy when close crosses above bb(20,2).upper; sell when close < bb(20,2).middle', 'bollinger breakout'],
  ['buy when price crosses above the upper bollinger band, sell when price is below the middle band', 'bollinger breakout'],
  ['Buy when close breaks above upper band; sell when close below middle band', 'bollinger breakout'],
  ['buy when macd(12,26,9).macd crosses above macd(12,26,9).signal; sell when macd(12,26,9).macd crosses below macd(12,26,9).signal', 'macd signal cross'],
  ['buy when macd crosses above signal; sell when macd crosses below signal', 'macd signal cross'],
  ['Buy when the MACD line crosses over the signal line, sell when the MACD crosses under its signal line', 'macd signal cross'],
  ['buy on a bullish macd crossover and sell on a bearish macd crossover', 'macd signal cross'],
  ['buy when rsi(14) < 30; sell when rsi(14) > 70; stop 5%; target 10%', 'rsi with stop and target'],
  ['buy when rsi under 30, sell when rsi over 70, 5% stop, take profit 10%', 'rsi with stop and target'],
  ['Buy when RSI < 30; sell when RSI > 70; stop loss 5%; take profit 10%', 'rsi with stop and target'],
  ['buy when rsi below 30 and sell when rsi above 70 with a 5% stop loss and a 10% profit target', 'rsi with stop and target'],
  ['short when rsi(14) > 70; cover when rsi(14) < 50', 'short overbought rsi'],
  ['Short when RSI is above 70, cover when RSI is below 50', 'short overbought rsi'],
  ['sell short when rsi over 70 and buy to cover when rsi under 50', 'short overbought rsi'],
  ['go short if rsi greater than 70; exit short if rsi less than 50', 'short overbought rsi'],
  ['buy when stoch(14, 3).k crosses above stoch(14, 3).d; sell when stoch(14, 3).k > 80', 'stochastic oversold'],
  ['buy when stoch k crosses above stoch d, sell when stoch k above 80', 'stochastic oversold'],
  ['Buy when the stochastic %K crosses over %D; sell when %K is over 80', 'stochastic oversold'],
];

const logicOf = (s: Spec): Meaning => ({
  indicators: s.indicators,
  rules: Object.fromEntries(Object.entries(s.rules).filter(([, v]) => v !== null)),
  ...(s.risk.stop_loss_pct === null && s.risk.take_profit_pct === null ? {} : { risk: Object.fromEntries(Object.entries(s.risk).filter(([, v]) => v !== null)) }),
});

type Outcome = { ok: true } | { ok: false; why: string; rewrite: string | null; message: string };

function attempt(text: string, want: Meaning): Outcome {
  let spec: Spec;
  try {
    spec = translate(text).spec;
  } catch (e) {
    expect(e, text).toBeInstanceOf(TranslationRefused);
    const message = (e as Error).message;
    const m = /\nDid you mean: (.*)\n/.exec(message);
    return { ok: false, why: message.split('\n')[0]!, rewrite: m === null ? null : m[1]!, message };
  }
  // A phrasing that translates must mean what was intended: a wrong translation is worse than a refusal.
  expect(logicOf(spec), `"${text}" translated, but not to what it means`).toEqual(want);
  return { ok: true };
}

describe('fifty phrasings of twelve ideas, rule language alone', () => {
  it('covers twelve ideas with fifty phrasings', () => {
    expect(PHRASINGS).toHaveLength(50);
    expect(new Set(PHRASINGS.map(([, idea]) => idea)).size).toBe(12);
  });

  it('translates at least 80 % exactly; every other one is refused with what was expected, the model hint, and (where derivable) a rewrite that means the idea', () => {
    const failed: string[] = [];
    let ok = 0;
    let rewrites = 0;
    for (const [text, idea] of PHRASINGS) {
      const want = IDEAS[idea]!;
      const r = attempt(text, want);
      if (r.ok) { ok++; continue; }
      failed.push(`${text}\n    → ${r.why}\n    → ${r.rewrite ?? '(no rewrite)'}`);
      // Every refusal says what the parser expected (a caret under the place) and that a model translates free text.
      expect(r.message.endsWith(MODEL_HINT), text).toBe(true);
      expect(r.why, text).toMatch(/expected|write|unknown|unexpected|not supported/);
      expect(r.message, text).toContain('^');
      // A rewrite, when offered, must give the idea's logic: a wrong suggestion would be worse than none.
      if (r.rewrite !== null) {
        rewrites++;
        expect(logicOf(translate(r.rewrite).spec), `the rewrite of "${text}"`).toEqual(want);
      }
    }
    console.log(`rule language alone: ${ok} of ${PHRASINGS.length} phrasings translate exactly (${(100 * ok / PHRASINGS.length).toFixed(0)} %); ${rewrites} of the ${PHRASINGS.length - ok} refused get a rewrite that translates to what they mean:\n  ${failed.join('\n  ')}`);
    expect(ok / PHRASINGS.length).toBeGreaterThanOrEqual(0.8);
    // Exact, so a change in coverage shows in review (and the README's figure stays true).
    expect([ok, rewrites]).toEqual([42, 6]);
  });
});
