/**
 * The spec's fixed vocabulary as plain values, without zod: the engine (and each optimiser worker
 * thread) reads these at start-up, and importing the zod schemas for them would cost a worker about
 * as long to start as all the rest of the engine. schema.ts builds its schemas from these.
 */
import type { IndicatorFn } from './schema.ts';

export const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Outputs of multi-output fns; single-output fns are read by their bare id. */
export const INDICATOR_OUTPUTS: Record<IndicatorFn, readonly string[] | null> = {
  sma: null, ema: null, wma: null, rsi: null, roc: null, highest: null, lowest: null,
  atr: null, cci: null, obv: null, mfi: null, williamsr: null, adx: ['adx', 'pdi', 'mdi'],
  bbands: ['upper', 'middle', 'lower'],
  macd: ['macd', 'signal', 'histogram'],
  stoch: ['k', 'd'],
  keltner: ['upper', 'middle', 'lower'],
};
