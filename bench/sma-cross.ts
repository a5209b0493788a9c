import type { Spec } from '../src/core/spec/schema.ts';

/** The benchmark strategy: a 2-SMA cross that is always in the market (long on up-cross, short on down-cross). */
export const SMA_CROSS: Spec = {
  schema: 'gauntlet/spec@1',
  name: 'bench-sma-cross',
  idea: 'fast SMA crosses slow SMA: reverse',
  meta: { style: 'trend_following', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
  params: {
    fast: { value: 10, min: 2, max: 50, step: 1 },
    slow: { value: 40, min: 10, max: 200, step: 5 },
  },
  indicators: {
    f: { fn: 'sma', source: 'close', period: '$fast' },
    s: { fn: 'sma', source: 'close', period: '$slow' },
  },
  rules: {
    long_entry: ['f', 'crosses_above', 's'],
    long_exit: null,
    short_entry: ['f', 'crosses_below', 's'],
    short_exit: null,
  },
  risk: { stop_loss_pct: null, take_profit_pct: null },
  execution: { fees_bps: 2, slippage_bps: 1 },
};
