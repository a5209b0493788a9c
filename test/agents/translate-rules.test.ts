import { describe, expect, it } from 'vitest';
import { checkReferences } from '../../src/core/spec/references.ts';
import { validateSpec } from '../../src/core/spec/parse.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { classifyMeta, detectKind, translate, TranslationRefused } from '../../src/agents/translate/index.ts';
import { MODEL_HINT } from '../../src/agents/translate/rules/translate.ts';

const none = { long_entry: null, long_exit: null, short_entry: null, short_exit: null };

describe('the rule language', () => {
  it('translates the README example', () => {
    const text = 'buy when rsi(14) < 30 and close < bb(20, 2).lower; sell when rsi(14) > 70; stop 5%; fees 2 bps';
    const r = translate(text);
    expect(r.kind).toBe('rules');
    const want: Spec = {
      schema: 'gauntlet/spec@1',
      // Named after the idea: the first indicator, the style, the other indicators.
      name: 'rsi14-reversion-bb20-2',
      idea: 'buy when rsi(14) < 30 and close < bb(20, 2).lower; sell when rsi(14) > 70; stop 5%; fees 2 bps',
      meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
      params: {},
      indicators: { rsi14: { fn: 'rsi', source: 'close', period: 14 }, bb20_2: { fn: 'bbands', source: 'close', period: 20, stddev: 2 } },
      rules: { long_entry: { all: [['rsi14', '<', 30], ['close', '<', 'bb20_2.lower']] }, long_exit: ['rsi14', '>', 70], short_entry: null, short_exit: null },
      risk: { stop_loss_pct: 5, take_profit_pct: null },
      // Fees stated (2 bps), slippage not: the equities default of 5 bps fills in, and the warning says so.
      execution: { fees_bps: 2, slippage_bps: 5 },
    };
    expect(r.spec).toEqual(want);
    expect(r.warnings).toEqual([
      'costs: the idea states no slippage; using the equities default of 5 bps slippage per fill (docs/costs.md)',
      'meta: holding period short, inferred from the longest lookback of 20 bars (≤ 20 short, ≤ 60 medium, else long): the Director tries 1h first among 5m 15m 1h 4h 1d and the Reviewer expects holds of 0.5–14 days; market equities, by default (nothing in the idea names a market): symbols come from the universe\'s equities and unstated costs default to 5 + 5 bps. To choose instead, add "holding short|medium|long|intraday" and "market equities|crypto|futures|forex" to the idea.',
    ]);
    expect(r.summary).toBe('mean reversion, short holding: long when rsi14 < 30 and close < bb20_2.lower; exit long when rsi14 > 70; stop 5%; fees 2 bps; slippage 5 bps');
  });

  it('covers every fn, every statement form, params, lags, not/or/parentheses', () => {
    const text = [
      '# every function of the schema, every statement',
      'name Every Function!',
      'param len = 14 in [2, 50]',
      'param lo = 30 in [10, 40] step 5',
      'param mult = 2 in [1, 3] step 0.5',
      'buy when rsi($len) crosses above $lo and close > sma(50) and ema(close, 20) > wma(open, 10)',
      'buy when close > highest(high, 20)[1] or close > bb(close, 20, $mult).upper',
      'sell when rsi($len) > 70 or not (macd(12, 26, 9).macd > macd(12, 26, 9).signal)',
      'short when close < lowest(20)[1] and adx(14).adx > 25 and adx(14).mdi > adx(14).pdi',
      'cover when stoch(14, 3).k crosses below stoch(14, 3).d or williamsr(14) < -80',
      'short when cci(20) > 100 and mfi(14) > 80 and roc(close, 12) < 0 and obv < obv[1] and atr(14) > atr(14)[5] and kc(20, 1.5).lower > close and keltner(close, 20, 1.5).middle > close',
      'stop 4%; target 8%',
      'fees 1.5 bps; slippage 2 bps',
    ].join('\n');
    const r = translate(text);
    expect(r.spec.name).toBe('every-function');
    expect(r.spec.params).toEqual({ len: { value: 14, min: 2, max: 50, step: 1 }, lo: { value: 30, min: 10, max: 40, step: 5 }, mult: { value: 2, min: 1, max: 3, step: 0.5 } });
    expect(r.spec.indicators).toEqual({
      rsi_len: { fn: 'rsi', source: 'close', period: '$len' },
      sma50: { fn: 'sma', source: 'close', period: 50 },
      ema20: { fn: 'ema', source: 'close', period: 20 },
      wma10_open: { fn: 'wma', source: 'open', period: 10 },
      highest20: { fn: 'highest', source: 'high', period: 20 },
      bb20_mult: { fn: 'bbands', source: 'close', period: 20, stddev: '$mult' },
      macd12_26_9: { fn: 'macd', source: 'close', fast: 12, slow: 26, signal: 9 },
      lowest20: { fn: 'lowest', source: 'low', period: 20 },
      adx14: { fn: 'adx', period: 14 },
      stoch14_3: { fn: 'stoch', period: 14, signal: 3 },
      williamsr14: { fn: 'williamsr', period: 14 },
      cci20: { fn: 'cci', period: 20 },
      mfi14: { fn: 'mfi', period: 14 },
      roc12: { fn: 'roc', source: 'close', period: 12 },
      obv: { fn: 'obv' },
      atr14: { fn: 'atr', period: 14 },
      kc20_1p5: { fn: 'keltner', source: 'close', period: 20, multiplier: 1.5 },
    });
    expect(r.spec.rules).toEqual({
      long_entry: { any: [
        { all: [['rsi_len', 'crosses_above', '$lo'], ['close', '>', 'sma50'], ['ema20', '>', 'wma10_open']] },
        ['close', '>', 'highest20[1]'], ['close', '>', 'bb20_mult.upper'],
      ] },
      long_exit: { any: [['rsi_len', '>', 70], { not: ['macd12_26_9.macd', '>', 'macd12_26_9.signal'] }] },
      short_entry: { any: [
        { all: [['close', '<', 'lowest20[1]'], ['adx14.adx', '>', 25], ['adx14.mdi', '>', 'adx14.pdi']] },
        { all: [['cci20', '>', 100], ['mfi14', '>', 80], ['roc12', '<', 0], ['obv', '<', 'obv[1]'], ['atr14', '>', 'atr14[5]'], ['kc20_1p5.lower', '>', 'close'], ['kc20_1p5.middle', '>', 'close']] },
      ] },
      short_exit: { any: [['stoch14_3.k', 'crosses_below', 'stoch14_3.d'], ['williamsr14', '<', -80]] },
    });
    expect(r.spec.risk).toEqual({ stop_loss_pct: 4, take_profit_pct: 8 });
    expect(r.spec.execution).toEqual({ fees_bps: 1.5, slippage_bps: 2 });
    // highest in a long entry → breakout; longest lookback 50 → medium.
    expect(r.spec.meta).toEqual({ style: 'breakout', holding_period: 'medium', volatility_preference: 'any', market_type: 'equities' });
    expect(r.warnings.some((w) => w.includes('17 indicators > 5'))).toBe(true);
    expect(() => checkReferences(validateSpec(JSON.parse(JSON.stringify(r.spec)), 'x'))).not.toThrow();
  });

  it('negated params, "crosses", case-insensitive keywords, obv(), wpr/bbands aliases', () => {
    const r = translate('param lvl = 100 in [50, 300] step 25\nBUY WHEN CCI(20) Crosses Above -$lvl\nshort when cci(20) crosses below $lvl\ncover when wpr(14) > -20 and obv() > obv[2] and bbands(20, 2).middle < close');
    expect(r.spec.rules).toEqual({
      long_entry: ['cci20', 'crosses_above', '-$lvl'], long_exit: null,
      short_entry: ['cci20', 'crosses_below', '$lvl'],
      short_exit: { all: [['williamsr14', '>', -20], ['obv', '>', 'obv[2]'], ['bb20_2.middle', '<', 'close']] },
    });
    expect(r.spec.params).toEqual({ lvl: { value: 100, min: 50, max: 300, step: 25 } });
  });

  it('identical calls share one id; a param declared after its use works; unused params are dropped with a warning', () => {
    const r = translate('buy when sma($n) > sma(close, $n) and sma($n)[1] < close; param n = 20 in [5, 100]; param unused = 1 in [1, 2]');
    expect(Object.keys(r.spec.indicators)).toEqual(['sma_n']);
    expect(r.spec.rules.long_entry).toEqual({ all: [['sma_n', '>', 'sma_n'], ['sma_n[1]', '<', 'close']] });
    expect(r.spec.params).toEqual({ n: { value: 20, min: 5, max: 100, step: 1 } });
    expect(r.warnings.filter((w) => !w.startsWith('meta: '))).toEqual(['param unused is declared but not used, so it is left out of the spec', 'costs: the idea states no costs; using the equities defaults of 5 bps fees + 5 bps slippage per fill (docs/costs.md)']);
  });

  it('a param range off its step grid is narrowed through the value, with a warning', () => {
    const r = translate('param t = 30 in [12, 70] step 5; buy when rsi(14) < $t');
    expect(r.spec.params.t).toEqual({ value: 30, min: 15, max: 70, step: 5 });
    expect(r.warnings[0]).toContain('min 12 → 15');
  });

  it('a float param without a step gets 10^(⌊log10 v⌋ − 1)', () => {
    expect(translate('param k = 2.5 in [1, 4]; buy when close > bb(20, $k).upper').spec.params.k).toEqual({ value: 2.5, min: 1, max: 4, step: 0.1 });
  });

  it('name and market come from the options', () => {
    const r = translate('buy when close > open', { name: 'Mine', market_type: 'crypto' });
    expect(r.spec.name).toBe('Mine');
    expect(r.spec.meta.market_type).toBe('crypto');
  });
});

function firstLine(text: string): string {
  try {
    translate(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TranslationRefused);
    return (e as Error).message.split('\n')[0]!;
  }
  throw new Error(`expected an error for ${text}`);
}

describe('rule-language errors name the statement, the column and what is expected', () => {
  const OPS = '(< <= > >= crosses above|below)';
  const cases: [string, string][] = [
    ['buy when rsi(14) < 30; sell when rsi(14) 70', `rules: statement 2, column 19: expected an operator ${OPS} after "rsi(14)"`],
    ['buy rsi(14) < 30', 'rules: statement 1, column 5: expected "when" after "buy" (a rule is "buy when CONDITION")'],
    ['buy when rsi(14) <', 'rules: statement 1, column 19: expected an operand (a number, $param, a price field or an indicator)'],
    ['buy when rsi(14, 2) < 30', 'rules: statement 1, column 10: rsi takes rsi(period) or rsi(source, period); got 2 arguments'],
    ['buy when bb(20, 2) < close', 'rules: statement 1, column 20: bb(20, 2) has several outputs: write bb(20, 2).upper, bb(20, 2).middle, bb(20, 2).lower'],
    ['buy when rsi(14).k < 30', 'rules: statement 1, column 18: rsi(14) has a single output; write rsi(14) without ".k"'],
    ['buy when close[0] > open', 'rules: statement 1, column 16: a lag must be an integer ≥ 1 (x[1] is the previous bar)'],
    ['buy when close[-1] > open', 'rules: statement 1, column 16: a negative lag reads a bar that has not happened yet; use [k] with k ≥ 1 (x[1] is the previous bar)'],
    ['buy when close > sma(50) * 1.02', 'rules: statement 1, column 26: arithmetic ("sma(50) * …") is not supported: the spec compares operands directly; compare the two series, or use a band (bb, keltner) for offsets'],
    ['buy when close > open; stop 5', 'rules: statement 2, column 7: expected "%" or "atr" after the number (a stop is a percentage of the entry price, "stop 5%", or a multiple of ATR, "stop 5 atr(14)")'],
    ['buy when close > open; stop 150%', 'rules: statement 2, column 6: a stop must be above 0 % and at most 100 %, got 150 %'],
    ['buy when close > open; fees -2 bps', 'rules: statement 2, column 6: fees must be between 0 and 1000 bps, got -2'],
    ['buy when (rsi(14) < 30', 'rules: statement 1, column 23: expected ")" to close the "(" at column 10'],
    ['buy when rsi($len) < 30', 'rules: statement 1, column 14: $len is not declared; add a statement "param len = VALUE in [MIN, MAX]"'],
    ['buy when rsi(0) < 30', 'rules: statement 1, column 14: rsi period must be an integer ≥ 1, got 0'],
    ['param len = 60 in [2, 50]\nbuy when rsi($len) < 30', 'rules: statement 1 (line 1), column 7: param len: the default 60 is above max 50'],
    ['param len = 1.5 in [1, 5] step 0.5\nbuy when rsi($len) < 30', 'rules: statement 2 (line 2), column 14: rsi period is $len, so its range must hold integers ≥ 1 (value, min, max and step integers, min ≥ 1); it is 1.5 in [1, 5] step 0.5'],
    ['frobnicate', 'rules: statement 1, column 1: unknown statement "frobnicate": expected buy|sell|short|cover|exit when CONDITION, stop N% or stop N atr(P), target N% or target N atr(P), fees N bps, slippage N bps, holding short|medium|long|intraday, market equities|crypto|futures|forex, style STYLE, name NAME, or param NAME = V in [MIN, MAX] step S'],
    ['sell when rsi(14) > 70', 'rules: statement 1, column 1: no entry rule: write at least one "buy when …" or "short when …" statement'],
    ['short when close < open; sell when close > open', 'rules: statement 2, column 1: "sell" exits a long position, but no "buy when …" statement opens one'],
    ['buy when mom(10) > 0', 'rules: statement 1, column 10: "mom": the spec has no momentum fn; for "mom(n) > 0" write "close > close[n]", or use roc(n)'],
    ['buy when close == open', `rules: statement 1, column 16: "==" is not an operator of the rule language: use ${OPS}`],
    ['buy when high crosses sideways low', 'rules: statement 1, column 23: expected "above" or "below" after "crosses"'],
    ['buy when close > open @', 'rules: statement 1, column 23: unexpected character "@"'],
    ['buy when close > open close < open', 'rules: statement 1, column 23: unexpected "close" after the condition; join conditions with and / or, or start a new statement with ";"'],
    ['buy when close > open; stop 5%; stop 6%', 'rules: statement 3, column 1: "stop" is already given in statement 2'],
    ['buy when foo(3) > 1', 'rules: statement 1, column 10: unknown name "foo": expected a number, $param, a price field (open high low close volume) or an indicator (sma ema wma rsi roc highest lowest bbands bb macd atr stoch adx cci keltner kc obv mfi williamsr wpr)'],
    ['  ', 'rules: statement 1, column 1: no statements: write at least one entry, e.g. "buy when rsi(14) < 30"'],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => expect(firstLine(text)).toBe(want));

  it('shows the statement with a caret under the column', () => {
    try {
      translate('buy when rsi(14) 30');
      throw new Error('expected an error');
    } catch (e) {
      expect((e as Error).message.split('\n').slice(1)).toEqual(['  buy when rsi(14) 30', `  ${' '.repeat(17)}^`, MODEL_HINT]);
    }
  });

  it('carries the line, column and construct', () => {
    try {
      translate('buy when close > open\nsell when rsi(14) 70', { source: 'my.rules' });
    } catch (e) {
      const r = e as TranslationRefused;
      expect([r.source, r.line, r.column, r.construct]).toEqual(['my.rules', 2, 19, '70']);
      expect(r.message.startsWith('my.rules: statement 2 (line 2), column 19: ')).toBe(true);
    }
  });
});

describe('detectKind and classifyMeta', () => {
  it('detects Pine by //@version or a declaration, else rules', () => {
    expect(detectKind('//@version=5\nstrategy("x")')).toBe('pine');
    expect(detectKind('strategy("x")\n')).toBe('pine');
    expect(detectKind('buy when close > open')).toBe('rules');
  });

  it('classifies styles from the entry rules', () => {
    const base = { params: {}, rules: { ...none } };
    const c = (indicators: Spec['indicators'], long_entry: Spec['rules']['long_entry'], short_entry: Spec['rules']['short_entry'] = null) =>
      classifyMeta({ ...base, indicators, rules: { ...none, long_entry, short_entry } }).style;
    const bb = { bb: { fn: 'bbands', source: 'close', period: 20, stddev: 2 } } as const;
    expect(c(bb, ['close', '>', 'bb.upper'])).toBe('breakout');
    expect(c(bb, ['close', '<', 'bb.lower'])).toBe('mean_reversion');
    expect(c(bb, null, ['close', '<', 'bb.lower'])).toBe('breakout');
    expect(c({ r: { fn: 'roc', source: 'close', period: 5 } }, ['r', '>', 0])).toBe('momentum');
    expect(c({}, ['close', '>', 'close[10]'])).toBe('momentum');
    expect(c({}, ['close', '>', 'close[1]'])).toBe('other');
    expect(c({ m: { fn: 'ema', source: 'close', period: 5 } }, ['close', '>', 'm'])).toBe('trend_following');
  });

  it('derives the holding period from the longest lookback (≤ 20 short, ≤ 60 medium, else long)', () => {
    const h = (period: number) => classifyMeta({ params: {}, indicators: { s: { fn: 'sma', source: 'close', period } }, rules: { ...none, long_entry: ['close', '>', 's'] } }).holding_period;
    expect([h(20), h(21), h(60), h(61)]).toEqual(['short', 'medium', 'medium', 'long']);
  });
});

describe('the idea says what it means', () => {
  const IDEA = 'buy when rsi(2) < 10 and close > sma(200); sell when rsi(2) > 70';
  it('an inferred holding period is said, with where it comes from and what follows; a stated one is used as stated', () => {
    const inferred = translate(IDEA);
    expect(inferred.spec.name).toBe('rsi2-reversion-sma200');
    expect(inferred.spec.meta.holding_period).toBe('long');
    expect(inferred.warnings.at(-1)).toBe('meta: holding period long, inferred from the longest lookback of 200 bars (≤ 20 short, ≤ 60 medium, else long): the Director tries 1d first among 4h 1d and the Reviewer expects holds of 60+ days; market equities, by default (nothing in the idea names a market): symbols come from the universe\'s equities and unstated costs default to 5 + 5 bps. To choose instead, add "holding short|medium|long|intraday" and "market equities|crypto|futures|forex" to the idea.');
    const stated = translate(`${IDEA}; holding short; market crypto; style mean reversion`);
    expect(stated.spec.meta).toEqual({ style: 'mean_reversion', holding_period: 'short', volatility_preference: 'any', market_type: 'crypto' });
    expect(stated.spec.execution).toEqual({ fees_bps: 10, slippage_bps: 5 }); // crypto's defaults
    expect(stated.warnings.some((w) => w.startsWith('meta: '))).toBe(false);
  });

  it('a meta statement with an unknown value says what it expects', () => {
    expect(() => translate(`${IDEA}; holding forever`)).toThrow(/^rules: statement 3, column 9: expected short \| medium \| long \| intraday after "holding"/);
  });
});
