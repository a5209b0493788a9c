/**
 * Spec builders for the golden tests. Every spec goes through SpecSchema.parse, so the tests
 * only ever feed the engine specs that the schema accepts.
 */
import { SpecSchema } from '../../src/core/spec/schema.ts';
import type { Spec } from '../../src/core/spec/schema.ts';

type SpecParts = Pick<Spec, 'indicators' | 'rules'> & {
  name?: string;
  params?: Spec['params'];
  risk?: Partial<Spec['risk']>;
  execution?: Partial<Spec['execution']>;
};

export function makeSpec(parts: SpecParts): Spec {
  return SpecSchema.parse({
    schema: 'gauntlet/spec@1',
    name: parts.name ?? 'test-spec',
    idea: 'golden test',
    meta: { style: 'other', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
    params: parts.params ?? {},
    indicators: parts.indicators,
    rules: parts.rules,
    risk: { stop_loss_pct: null, take_profit_pct: null, ...parts.risk },
    execution: { fees_bps: 0, slippage_bps: 0, ...parts.execution },
  });
}

/** A param with a value and a generous range. */
export function param(value: number): Spec['params'][string] {
  return { value, min: 0, max: 1000, step: 1 };
}

/** The golden specs: each exercises a different corner of the rules. */
export const GOLDEN_SPECS: Spec[] = [
  makeSpec({
    name: 'sma-cross-reversal',
    params: { fast: param(10), slow: param(30) },
    indicators: { f: { fn: 'sma', period: '$fast' }, s: { fn: 'sma', source: 'close', period: '$slow' } },
    rules: {
      long_entry: ['f', 'crosses_above', 's'],
      long_exit: null,
      short_entry: ['f', 'crosses_below', 's'],
      short_exit: null,
    },
    execution: { fees_bps: 1 },
  }),
  makeSpec({
    name: 'bbands-reversion-stop',
    indicators: { bb: { fn: 'bbands', source: 'close', period: 20, stddev: 2 } },
    rules: {
      long_entry: ['close', '<', 'bb.lower'],
      long_exit: ['close', '>', 'bb.middle'],
      short_entry: ['close', '>', 'bb.upper'],
      short_exit: ['close', '<', 'bb.middle'],
    },
    risk: { stop_loss_pct: 4 },
    execution: { fees_bps: 2, slippage_bps: 1 },
  }),
  makeSpec({
    name: 'macd-long-stop-target',
    params: { sig: param(9) },
    indicators: { m: { fn: 'macd', fast: 12, slow: 26, signal: '$sig' } },
    rules: {
      long_entry: ['m.macd', 'crosses_above', 'm.signal'],
      long_exit: ['m.histogram', '<', 0],
      short_entry: null,
      short_exit: null,
    },
    risk: { stop_loss_pct: 3, take_profit_pct: 6 },
    execution: { fees_bps: 1 },
  }),
  makeSpec({
    name: 'donchian-breakout-lags',
    params: { n: param(20), m: param(10) },
    indicators: {
      hh: { fn: 'highest', period: '$n' },
      ll: { fn: 'lowest', period: '$n' },
      xh: { fn: 'highest', period: '$m' },
      xl: { fn: 'lowest', period: '$m' },
    },
    rules: {
      long_entry: ['close', '>', 'hh[1]'],
      long_exit: ['close', '<', 'xl[1]'],
      short_entry: ['close', '<', 'll[1]'],
      short_exit: ['close', '>', 'xh[1]'],
    },
    risk: { stop_loss_pct: 8 },
  }),
  makeSpec({
    name: 'ema-roc-costs',
    indicators: {
      e1: { fn: 'ema', period: 12 },
      e2: { fn: 'ema', period: 26 },
      w: { fn: 'wma', source: 'open', period: 15 },
      roc: { fn: 'roc', period: 10 },
    },
    rules: {
      long_entry: { all: [['e1', '>', 'e2'], ['roc', '>', 0], ['close', '>', 'w']] },
      long_exit: ['e1', '<', 'e2'],
      short_entry: { all: [['e1', '<', 'e2'], ['roc', '<', -2]] },
      short_exit: ['roc[1]', '>', 1],
    },
    execution: { fees_bps: 5, slippage_bps: 3 },
  }),
  makeSpec({
    name: 'not-any-cci-atr',
    params: { lvl: param(100) },
    indicators: {
      cci: { fn: 'cci', period: 20 },
      atr: { fn: 'atr', period: 14 },
      w: { fn: 'wma', period: 10 },
    },
    rules: {
      long_entry: { any: [['close', 'crosses_above', 'w'], { not: ['cci', '>', -100] }] },
      long_exit: { not: { any: [['close', '>', 'w'], ['atr', '<', 'atr[5]']] } },
      short_entry: { all: [{ not: ['cci', '<', '$lvl'] }, ['high', '>=', 'high[1]']] },
      short_exit: { any: [['cci', 'crosses_below', 0], { not: { all: [['low[2]', '<', 'low'], ['volume', '>', 0]] } }] },
    },
    risk: { stop_loss_pct: 5, take_profit_pct: 10 },
    execution: { fees_bps: 3, slippage_bps: 2 },
  }),
];
