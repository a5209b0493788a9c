import { describe, expect, it } from 'vitest';
import { checkReferences } from '../../src/core/spec/references.ts';
import { validateSpec } from '../../src/core/spec/parse.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { translate } from '../../src/agents/translate/index.ts';
import { fixture, refusal } from './pine-fixtures.ts';


/** Expected specs are written out in full; this only fills the fields every fixture shares. */
function expected(s: Partial<Spec> & Pick<Spec, 'name' | 'idea' | 'params' | 'indicators'>): Spec {
  return {
    schema: 'gauntlet/spec@1',
    meta: { style: 'other', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
    rules: { long_entry: null, long_exit: null, short_entry: null, short_exit: null },
    risk: { stop_loss_pct: null, take_profit_pct: null },
    execution: { fees_bps: 0, slippage_bps: 0 },
    ...s,
  };
}
const meta = (style: Spec['meta']['style'], holding_period: Spec['meta']['holding_period']): Spec['meta'] =>
  ({ style, holding_period, volatility_preference: 'any', market_type: 'equities' });

const EXPECTED: Record<string, Spec> = {
  '01-sma-cross-reversal': expected({
    name: 'sma-cross-always-in-the-market', idea: 'SMA cross, always in the market',
    meta: meta('trend_following', 'medium'), // longest lookback 40 → medium
    params: { fastLen: { value: 10, min: 2, max: 100, step: 1 }, slowLen: { value: 40, min: 5, max: 300, step: 1 } },
    indicators: { sma_fastLen: { fn: 'sma', source: 'close', period: '$fastLen' }, sma_slowLen: { fn: 'sma', source: 'close', period: '$slowLen' } },
    rules: { long_entry: ['sma_fastLen', 'crosses_above', 'sma_slowLen'], long_exit: null, short_entry: ['sma_fastLen', 'crosses_below', 'sma_slowLen'], short_exit: null },
    execution: { fees_bps: 2, slippage_bps: 0 },
  }),
  '02-rsi-levels-long': expected({
    name: 'rsi-oversold-overbought-long-only', idea: 'RSI oversold / overbought, long only',
    meta: meta('mean_reversion', 'short'),
    params: { len: { value: 14, min: 2, max: 50, step: 1 }, lower: { value: 30, min: 5, max: 45, step: 5 }, upper: { value: 70, min: 55, max: 95, step: 5 } },
    indicators: { rsi_len: { fn: 'rsi', source: 'close', period: '$len' } },
    rules: { long_entry: ['rsi_len', '<', '$lower'], long_exit: ['rsi_len', '>', '$upper'], short_entry: null, short_exit: null },
  }),
  '03-bollinger-reversion': expected({
    name: 'bollinger-reversion-to-the-basis', idea: 'Bollinger reversion to the basis',
    meta: meta('mean_reversion', 'short'),
    params: { length: { value: 20, min: 5, max: 100, step: 1 }, mult: { value: 2, min: 0.5, max: 4, step: 0.5 } },
    indicators: { bb_length_mult: { fn: 'bbands', source: 'close', period: '$length', stddev: '$mult' } },
    rules: { long_entry: ['close', 'crosses_above', 'bb_length_mult.lower'], long_exit: ['close', '>', 'bb_length_mult.middle'], short_entry: null, short_exit: null },
    execution: { fees_bps: 5, slippage_bps: 0 },
  }),
  '04-macd-cross-pct-exit': expected({
    name: 'macd-signal-cross-with-percent-stop-and-target', idea: 'MACD signal cross with percent stop and target',
    meta: meta('trend_following', 'medium'), // slow 26 → medium
    // no maxval: max = 4 × default
    params: { fastLen: { value: 12, min: 2, max: 48, step: 1 }, slowLen: { value: 26, min: 5, max: 104, step: 1 }, sigLen: { value: 9, min: 2, max: 36, step: 1 } },
    indicators: { macd_fastLen_slowLen_sigLen: { fn: 'macd', source: 'close', fast: '$fastLen', slow: '$slowLen', signal: '$sigLen' } },
    rules: {
      long_entry: ['macd_fastLen_slowLen_sigLen.macd', 'crosses_above', 'macd_fastLen_slowLen_sigLen.signal'],
      long_exit: ['macd_fastLen_slowLen_sigLen.macd', 'crosses_below', 'macd_fastLen_slowLen_sigLen.signal'],
      short_entry: null, short_exit: null,
    },
    risk: { stop_loss_pct: 3, take_profit_pct: 6 },
  }),
  '05-donchian-breakout': expected({
    name: 'donchian-breakout-long-and-short', idea: 'Donchian breakout, long and short',
    meta: meta('breakout', 'short'),
    params: { n: { value: 20, min: 5, max: 200, step: 1 } },
    indicators: { highest_n: { fn: 'highest', source: 'high', period: '$n' }, lowest_n: { fn: 'lowest', source: 'low', period: '$n' } },
    rules: { long_entry: ['close', '>', 'highest_n[1]'], long_exit: null, short_entry: ['close', '<', 'lowest_n[1]'], short_exit: null },
  }),
  '06-stochastic-oversold': expected({
    name: 'stochastic-cross-in-the-oversold-zone', idea: 'Stochastic cross in the oversold zone',
    meta: meta('mean_reversion', 'short'),
    params: {
      periodK: { value: 14, min: 1, max: 50, step: 1 }, smoothD: { value: 3, min: 1, max: 10, step: 1 },
      os: { value: 20, min: 0, max: 50, step: 1 }, ob: { value: 80, min: 50, max: 100, step: 1 },
    },
    indicators: { stoch_periodK_smoothD: { fn: 'stoch', period: '$periodK', signal: '$smoothD' } },
    rules: {
      long_entry: { all: [['stoch_periodK_smoothD.k', 'crosses_above', 'stoch_periodK_smoothD.d'], ['stoch_periodK_smoothD.k', '<', '$os']] },
      long_exit: ['stoch_periodK_smoothD.k', '>', '$ob'], short_entry: null, short_exit: null,
    },
  }),
  '07-trend-filtered-rsi': expected({
    name: 'rsi-dips-inside-an-ema-uptrend', idea: 'RSI dips inside an EMA uptrend',
    meta: meta('mean_reversion', 'long'), // an oscillator entry; EMA 200 → long
    params: { fastLen: { value: 50, min: 10, max: 150, step: 1 }, slowLen: { value: 200, min: 100, max: 400, step: 10 } },
    indicators: {
      ema_fastLen: { fn: 'ema', source: 'close', period: '$fastLen' }, ema_slowLen: { fn: 'ema', source: 'close', period: '$slowLen' },
      rsi2: { fn: 'rsi', source: 'close', period: 2 },
    },
    rules: {
      long_entry: { all: [['ema_fastLen', '>', 'ema_slowLen'], ['rsi2', '<', 10]] },
      long_exit: { any: [['rsi2', '>', 80], { not: ['ema_fastLen', '>', 'ema_slowLen'] }] },
      short_entry: null, short_exit: null,
    },
  }),
  '08-roc-zero-cross': expected({
    name: 'rate-of-change-crosses-zero', idea: 'Rate of change crosses zero',
    meta: meta('momentum', 'short'),
    params: { len: { value: 12, min: 1, max: 100, step: 1 } },
    indicators: { roc_len: { fn: 'roc', source: 'close', period: '$len' } },
    rules: { long_entry: ['roc_len', 'crosses_above', 0], long_exit: ['roc_len', 'crosses_below', 0], short_entry: null, short_exit: null },
  }),
  '09-adx-trend-cross': expected({
    name: 'sma-cross-only-when-adx-says-trending', idea: 'SMA cross only when ADX says trending',
    meta: meta('trend_following', 'short'),
    params: { adxLen: { value: 14, min: 5, max: 50, step: 1 }, adxMin: { value: 25, min: 10, max: 50, step: 1 }, maLen: { value: 20, min: 5, max: 100, step: 1 } },
    indicators: { adx_adxLen: { fn: 'adx', period: '$adxLen' }, sma_maLen: { fn: 'sma', source: 'close', period: '$maLen' } },
    rules: {
      long_entry: { all: [['adx_adxLen.adx', '>', '$adxMin'], ['close', 'crosses_above', 'sma_maLen']] }, long_exit: null,
      short_entry: { all: [['adx_adxLen.adx', '>', '$adxMin'], ['close', 'crosses_below', 'sma_maLen']] }, short_exit: null,
    },
  }),
  '10-keltner-breakout': expected({
    name: 'keltner-channel-breakout', idea: 'Keltner channel breakout',
    meta: meta('breakout', 'short'),
    // float without step: 10^(⌊log10 2⌋ − 1) = 0.1
    params: { len: { value: 20, min: 5, max: 100, step: 1 }, mult: { value: 2, min: 0.5, max: 5, step: 0.1 } },
    indicators: { kc_len_mult: { fn: 'keltner', source: 'close', period: '$len', multiplier: '$mult' } },
    rules: { long_entry: ['close', 'crosses_above', 'kc_len_mult.upper'], long_exit: ['close', 'crosses_below', 'kc_len_mult.middle'], short_entry: null, short_exit: null },
  }),
  '11-inside-bar': expected({
    name: 'inside-bar-direction', idea: 'Inside bar direction',
    meta: meta('other', 'short'),
    params: {}, indicators: {},
    rules: {
      long_entry: { all: [['high', '<', 'high[1]'], ['low', '>', 'low[1]'], ['close', '>', 'open']] }, long_exit: null,
      short_entry: { all: [['high', '<', 'high[1]'], ['low', '>', 'low[1]'], ['close', '<', 'open']] }, short_exit: null,
    },
  }),
  '12-cci-extremes': expected({
    name: 'cci-extremes-with-a-percent-stop', idea: 'CCI extremes with a percent stop',
    meta: meta('mean_reversion', 'short'),
    params: { len: { value: 20, min: 5, max: 100, step: 1 }, lvl: { value: 100, min: 50, max: 300, step: 25 } },
    indicators: { cci_len: { fn: 'cci', period: '$len' } },
    rules: { long_entry: ['cci_len', 'crosses_above', '-$lvl'], long_exit: null, short_entry: ['cci_len', 'crosses_below', '$lvl'], short_exit: null },
    risk: { stop_loss_pct: 5, take_profit_pct: null }, // × 0.95 for the long, × 1.05 for the short: 5 % both
  }),
};

describe('Pine fixtures 01–12 translate to the hand-written specs', () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(name, () => {
      const r = translate(fixture(name), { source: `${name}.pine` });
      expect(r.kind).toBe('pine');
      expect(r.spec).toEqual(want);
      // The result is a valid, self-consistent spec.
      expect(() => checkReferences(validateSpec(JSON.parse(JSON.stringify(r.spec)), name))).not.toThrow();
      expect(r.summary).not.toContain('\n');
    });
  }

  it('warns where the spec fixes or changes something (04: inputs folded into the levels, defaulted ranges)', () => {
    const w = translate(fixture('04-macd-cross-pct-exit')).warnings;
    expect(w.some((x) => x.includes('stopPct') && x.includes('= 3') && x.includes('tpPct') && x.includes('= 6'))).toBe(true);
    expect(w.some((x) => x.includes('fastLen') && x.includes('[2, 48]'))).toBe(true);
    expect(w.some((x) => x.includes('from the fill bar'))).toBe(true);
  });

  it('warns that the spec cci reads the typical price (12)', () => {
    expect(translate(fixture('12-cci-extremes')).warnings.some((x) => x.startsWith('line 5:') && x.includes('typical price'))).toBe(true);
  });

  it('has no warnings where the translation is literal (01, 02, 05)', () => {
    // Only the note that says which meta fields were inferred (asserted whole in translate-pine-idioms.test.ts).
    for (const f of ['01-sma-cross-reversal', '02-rsi-levels-long', '05-donchian-breakout']) expect(translate(fixture(f)).warnings.filter((w) => !w.startsWith('meta: '))).toEqual([]);
  });

  it('summarises the intent on one line', () => {
    expect(translate(fixture('02-rsi-levels-long')).summary)
      .toBe('mean reversion, short holding: long when rsi_len < $lower; exit long when rsi_len > $upper; fees 0 bps');
  });

  it('uses --name over the title', () => {
    expect(translate(fixture('02-rsi-levels-long'), { name: 'mine' }).spec.name).toBe('mine');
  });
});

describe('Pine fixtures 13–16 are refused, naming the construct and its line', () => {
  const cases: [string, number, string][] = [
    ['13-REFUSE-security-lookahead', 3, '`request.security`'],
    ['14-REFUSE-loop-array', 3, '`array.new_float`'],
    ['15-REFUSE-var-state', 3, '`var`'],
    ['16-REFUSE-pyramiding-order', 2, '`pyramiding=5`'],
  ];
  for (const [name, line, construct] of cases) {
    it(name, () => {
      const e = refusal(fixture(name), `${name}.pine`);
      expect(e.line).toBe(line);
      expect(e.construct).toBe(construct);
      expect(e.message.startsWith(`${name}.pine:${line}: ${construct} is not in the supported Pine subset: `)).toBe(true);
      expect(e.exitCode).toBe(2);
    });
  }

  it('lists every refused construct, not only the first', () => {
    const m14 = refusal(fixture('14-REFUSE-loop-array'), 'f.pine').message;
    expect(m14).toContain('f.pine:4: `for` is not in the supported Pine subset');
    const m15 = refusal(fixture('15-REFUSE-var-state'), 'f.pine').message;
    // strategy.position_size is read in if guards around orders now; var and := stay refused.
    expect(m15).not.toContain('`strategy.position_size`');
    expect(m15).toContain('f.pine:3: `var`');
    expect(m15).toContain('f.pine:5: `:=` reassignment');
    const m16 = refusal(fixture('16-REFUSE-pyramiding-order'), 'f.pine').message;
    expect(m16).toContain('f.pine:4: `strategy.order`');
    expect(m16).toContain('f.pine:6: `strategy.close_all`');
    const m13 = refusal(fixture('13-REFUSE-security-lookahead'), 'f.pine').message;
    expect(m13).toContain('`barmerge.lookahead_on`');
  });
});

/** Every translation ends with the inferred-meta note unless the script states holding and market; asserted whole elsewhere. */
const notMeta = (w: string): boolean => !w.startsWith('meta: ');

/** A script with the given body after a v5 header on line 2 (so body line k is script line k + 2). */
const script = (...body: string[]): string => ['//@version=5', 'strategy("T")', ...body].join('\n');

describe('Pine subset details', () => {
  it('v4: bare names, input(), when=', () => {
    const r = translate(['//@version=4', 'strategy("V4 RSI")', 'len = input(14, minval=2, maxval=30)', 'r = rsi(close, len)',
      'if crossover(r, 30)', '    strategy.entry("L", strategy.long)', 'strategy.close("L", when = r > 70)'].join('\n'));
    expect(r.spec.params).toEqual({ len: { value: 14, min: 2, max: 30, step: 1 } });
    expect(r.spec.indicators).toEqual({ rsi_len: { fn: 'rsi', source: 'close', period: '$len' } });
    expect(r.spec.rules).toEqual({ long_entry: ['rsi_len', 'crosses_above', 30], long_exit: ['rsi_len', '>', 70], short_entry: null, short_exit: null });
  });

  it('ta.mom compared with 0 becomes price vs its lag, with a warning', () => {
    const r = translate(script('m = ta.mom(close, 10)', 'if m > 0', '    strategy.entry("L", strategy.long)', 'if ta.crossunder(m, 0)', '    strategy.close("L")'));
    expect(r.spec.indicators).toEqual({});
    expect(r.spec.rules.long_entry).toEqual(['close', '>', 'close[10]']);
    expect(r.spec.rules.long_exit).toEqual(['close', 'crosses_below', 'close[10]']);
    expect(r.spec.meta.style).toBe('momentum');
    expect(r.warnings.some((w) => w.startsWith('line 4:') && w.includes('close > close[10]'))).toBe(true);
  });

  it('0 < a - b is b < a, and equality is two comparisons', () => {
    const r = translate(script('if 0 < close - open', '    strategy.entry("L", strategy.long)', 'if close == open', '    strategy.close("L")'));
    expect(r.spec.rules.long_entry).toEqual(['open', '<', 'close']);
    expect(r.spec.rules.long_exit).toEqual({ all: [['close', '<=', 'open'], ['close', '>=', 'open']] });
  });

  it('a lagged named condition lags every operand; else is not; identical indicators share an id', () => {
    const r = translate(script('a = ta.sma(close, 10)', 'b = ta.sma(close, 10)', 'up = close > a', 'if up[1] and up', '    strategy.entry("L", strategy.long)',
      'else', '    strategy.close("L")', 'if b > close', '    strategy.close("L")'));
    expect(r.spec.indicators).toEqual({ sma10: { fn: 'sma', source: 'close', period: 10 } });
    expect(r.spec.rules.long_entry).toEqual({ all: [['close[1]', '>', 'sma10[1]'], ['close', '>', 'sma10']] });
    expect(r.spec.rules.long_exit).toEqual({ any: [{ not: { all: [['close[1]', '>', 'sma10[1]'], ['close', '>', 'sma10']] } }, ['sma10', '>', 'close']] });
  });

  it('default ranges: int [max(1,⌊v/4⌋), 4v]; float on the 0.1 grid through the default', () => {
    const r = translate(script('n = input.int(10)', 'k = input.float(2.5)', 'if close > ta.bb(close, n, k)[1]', '    strategy.entry("L", strategy.long)').replace('ta.bb(close, n, k)[1]', 'ta.highest(close, n)'));
    expect(r.spec.params).toEqual({ n: { value: 10, min: 2, max: 40, step: 1 } });
    const f = translate(script('n = input.int(10)', 'k = input.float(2.5)', '[m, u, l] = ta.bb(close, n, k)', 'if close > u', '    strategy.entry("L", strategy.long)'));
    // v/4 = 0.625 → pulled up to the grid 2.5 − 18 × 0.1 = 0.7; 4v = 10 is on it.
    expect(f.spec.params).toEqual({ n: { value: 10, min: 2, max: 40, step: 1 }, k: { value: 2.5, min: 0.7, max: 10, step: 0.1 } });
    expect(f.warnings.filter((w) => w.includes('has no minval and maxval'))).toHaveLength(2);
  });

  it('fees: 0.07 % is exactly 7 bps', () => {
    const r = translate(['//@version=5', 'strategy("F", commission_value=0.07)', 'if close > open', '    strategy.entry("L", strategy.long)'].join('\n'));
    // No slippage= in strategy(): the equities default of 5 bps per fill.
    expect(r.spec.execution).toEqual({ fees_bps: 7, slippage_bps: 5 });
    expect(r.warnings).toContain('costs: the idea states no slippage; using the equities default of 5 bps slippage per fill (docs/costs.md)');
  });

  it('costs: none stated gets the market defaults; slippage=0 and commission_value=0 are stated zeros', () => {
    const none = translate(['//@version=5', 'strategy("N")', 'if close > open', '    strategy.entry("L", strategy.long)'].join('\n'));
    expect(none.spec.execution).toEqual({ fees_bps: 5, slippage_bps: 5 });
    expect(none.warnings.filter(notMeta)).toEqual(['costs: the idea states no costs; using the equities defaults of 5 bps fees + 5 bps slippage per fill (docs/costs.md)']);
    const zero = translate(['//@version=5', 'strategy("Z", commission_type=strategy.commission.percent, commission_value=0, slippage=0)', 'if close > open', '    strategy.entry("L", strategy.long)'].join('\n'));
    expect(zero.spec.execution).toEqual({ fees_bps: 0, slippage_bps: 0 });
    expect(zero.warnings.filter(notMeta)).toEqual([]);
  });

  it('a bool input is fixed at its default and folded away, with a warning', () => {
    const r = translate(script('useF = input.bool(false, "filter")', 'if close > open and (not useF or volume > volume[1])', '    strategy.entry("L", strategy.long)'));
    expect(r.spec.rules.long_entry).toEqual(['close', '>', 'open']);
    expect(r.warnings.some((w) => w.includes('useF') && w.includes('false'))).toBe(true);
  });

  it('several entries on one side become any; exits by percentage of the entry', () => {
    const r = translate(script('if close > open', '    strategy.entry("A", strategy.long)', 'if high > high[1]', '    strategy.entry("B", strategy.long)',
      'strategy.exit("xa", "A", stop=strategy.position_avg_price * (1 - 2 / 100), limit=strategy.position_avg_price * 1.1)',
      'strategy.exit("xb", "B", stop=strategy.position_avg_price * 0.98, limit=strategy.position_avg_price * (1 + 10 / 100))'));
    expect(r.spec.rules.long_entry).toEqual({ any: [['close', '>', 'open'], ['high', '>', 'high[1]']] });
    expect(r.spec.risk).toEqual({ stop_loss_pct: 2, take_profit_pct: 10 });
  });

  it('warns about ignored sizing, a missing version line, v6, and ignored plots', () => {
    const sized = translate(['strategy("S", default_qty_type=strategy.fixed, default_qty_value=3)', 'if close > open', '    strategy.entry("L", strategy.long)', 'plot(close)'].join('\n'));
    expect(sized.warnings.filter(notMeta)).toEqual([
      'the script has no //@version line: it is read as Pine v5',
      'line 1: the position size (default_qty_type/default_qty_value) is ignored: the spec always trades all equity, so returns scale differently from Pine\'s',
      'plots and alerts are ignored (line 4): they place no orders',
      'costs: the idea states no costs; using the equities defaults of 5 bps fees + 5 bps slippage per fill (docs/costs.md)',
    ]);
    const allIn = translate(['//@version=5', 'strategy("S", default_qty_type=strategy.percent_of_equity, default_qty_value=100)', 'if close > open', '    strategy.entry("L", strategy.long)'].join('\n'));
    expect(allIn.warnings.filter(notMeta)).toEqual(['costs: the idea states no costs; using the equities defaults of 5 bps fees + 5 bps slippage per fill (docs/costs.md)']);
    const v6 = translate(['//@version=6', 'strategy("S")', 'if close > open', '    strategy.entry("L", strategy.long)'].join('\n'));
    expect(v6.warnings[0]).toMatch(/^line 1: Pine v6 is read as v5/);
  });

  it('unused declarations outside the subset do not matter (only what orders read is translated)', () => {
    const r = translate(script('x = close * 2', 's = input.string("a")', 'if close > open', '    strategy.entry("L", strategy.long)'));
    expect(r.spec.rules.long_entry).toEqual(['close', '>', 'open']);
  });
});

describe('Pine refusals name the line and the construct', () => {
  const cases: [string, string, number, RegExp][] = [
    ['series arithmetic', script('m = ta.sma(close, 20)', 'if close > m * 1.02', '    strategy.entry("L", strategy.long)'), 4, /x\.pine:4: the series arithmetic `m \* 1\.02` is not in the supported Pine subset/],
    ['future offset', script('if close[-1] > close', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: a negative history offset `\[-1\]`/],
    ['non-integer lag', script('if close[1.5] > close', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: the history offset in `close\[1\.5\]`.*1\.5 is not an integer/],
    ['param lag', script('k = input.int(2)', 'if close[k] > close', '    strategy.entry("L", strategy.long)'), 4, /x\.pine:4: the history offset in `close\[k\]`/],
    ['user function', script('f(x) => x * 2', 'if f(close) > close', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: a user-defined function \(`=>`\)/],
    ['barstate', script('if barstate.isconfirmed and close > open', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: `barstate\.isconfirmed`/],
    ['time', script('if time > 0 and close > open', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: `time`/],
    ['while', script('i = 0', 'while i < 3', '    i += 1'), 4, /x\.pine:4: `while`/],
    ['loss in ticks', script('if close > open', '    strategy.entry("L", strategy.long)', 'strategy.exit("x", "L", loss=100)'), 5, /x\.pine:5: `loss=` of strategy\.exit .*ticks/],
    ['dmi lengths differ', script('[p, m, a] = ta.dmi(14, 20)', 'if a > 25', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: `ta\.dmi\(14, 20\)`.*one period/],
    ['indicator of indicator', script('r = ta.rsi(close, 14)', 'e = ta.ema(r, 5)', 'if e > 50', '    strategy.entry("L", strategy.long)'), 4, /x\.pine:4: ta\.ema of `r`.*indicator of an indicator/],
    ['unsupported ta', script('if close > ta.vwma(close, 20)', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: `ta\.vwma` .*no spec indicator/],
    ['ternary', script('x = close > open ? high : low', 'if close > x', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: the \?: operator/],
    ['entry on every bar', script('strategy.entry("L", strategy.long)'), 3, /x\.pine:3: `strategy\.entry\("L", strategy\.long\)`.*fires on every bar/],
    ['close of unknown id', script('if close > open', '    strategy.entry("L", strategy.long)', 'if close < open', '    strategy.close("X")'), 6, /x\.pine:6: strategy\.close\("X"\).*no strategy\.entry has the id "X"/],
    ['stop for one side only', script('if close > open', '    strategy.entry("L", strategy.long)', 'if close < open', '    strategy.entry("S", strategy.short)',
      'strategy.exit("x", "L", stop=strategy.position_avg_price * 0.9)'), 7, /one stop and one target for every position/],
    ['exit inside if', script('if close > open', '    strategy.entry("L", strategy.long)', '    strategy.exit("x", "L", stop=strategy.position_avg_price * 0.9)'), 5, /x\.pine:5: .*conditional strategy\.exit/],
    ['absolute stop', script('if close > open', '    strategy.entry("L", strategy.long)', 'strategy.exit("x", "L", stop=close * 0.9)'), 5, /x\.pine:5: .*`close \* 0\.9`/],
    ['declaration inside if', script('if close > open', '    x = close', '    strategy.entry("L", strategy.long)'), 4, /x\.pine:4: the declaration of `x` inside an if block/],
    ['process_orders_on_close', ['//@version=5', 'strategy("T", process_orders_on_close=true)', 'if close > open', '    strategy.entry("L", strategy.long)'].join('\n'), 2, /x\.pine:2: `process_orders_on_close=true`/],
    ['version 3', ['//@version=3', 'strategy("T")'].join('\n'), 1, /x\.pine:1: `\/\/@version=3`/],
    ['indicator script', ['//@version=5', 'indicator("I")', 'plot(close)'].join('\n'), 2, /x\.pine:2: `indicator\(\)`/],
    ['no entries', script('plot(close)'), 2, /x\.pine:2: a strategy without entries/],
    ['hl2 operand', script('if hl2 > open', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: `hl2`.*not a price field/],
    ['undeclared name', script('if foo > open', '    strategy.entry("L", strategy.long)'), 3, /x\.pine:3: `foo` is not in the supported Pine subset: it is neither declared/],
    ['unterminated string', script('strategy.entry("L, strategy.long)'), 3, /^x\.pine:3:16: syntax error: the string opened at 3:16 has no closing quote on its line\. /],
  ];
  for (const [label, text, line, pattern] of cases) {
    it(label, () => {
      const e = refusal(text);
      expect(e.line).toBe(line);
      expect(e.message).toMatch(pattern);
      expect(e.message).not.toMatch(/\n\s+at /); // no stack trace in the message
    });
  }
});
