import type { IndicatorFn } from '../../../core/spec/schema.ts';

/** Indicator names of the rule language: every spec fn by its own name, plus the short names people write. */
export const RULE_FUNCTIONS: Readonly<Record<string, IndicatorFn>> = {
  sma: 'sma', ema: 'ema', wma: 'wma', rsi: 'rsi', roc: 'roc', highest: 'highest', lowest: 'lowest',
  bbands: 'bbands', bb: 'bbands', macd: 'macd', atr: 'atr', stoch: 'stoch', adx: 'adx', cci: 'cci',
  keltner: 'keltner', kc: 'keltner', obv: 'obv', mfi: 'mfi', williamsr: 'williamsr', wpr: 'williamsr',
};

/** Names people try that have no spec fn, with what to write instead. */
export const NOT_FUNCTIONS: Readonly<Record<string, string>> = {
  mom: 'the spec has no momentum fn; for "mom(n) > 0" write "close > close[n]", or use roc(n)',
  momentum: 'the spec has no momentum fn; for "momentum(n) > 0" write "close > close[n]", or use roc(n)',
  vwap: 'the spec has no vwap fn',
  vwma: 'the spec has no vwma fn; use sma, ema or wma',
  hma: 'the spec has no hma fn; use sma, ema or wma',
  donchian: 'write the channel as highest(high, n) and lowest(low, n), usually lagged: highest(high, 20)[1]',
  dmi: 'write adx(n).pdi, adx(n).mdi or adx(n).adx',
  stochastic: 'write stoch(period, signal).k or .d',
  change: 'the spec cannot subtract; for "change(n) > 0" write "close > close[n]"',
};
