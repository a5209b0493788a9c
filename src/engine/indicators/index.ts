/**
 * Indicator kernels (DESIGN §3): Float64Array columns in, fresh columns of the same length out,
 * NaN while undefined, never rounded. Warm-up and arithmetic follow technicalindicators 3.1 (bit
 * for bit except WMA, ~1e-15) apart from the deviations named in each kernel. A NaN in an input
 * is a break: NaN wherever it is read, and every running window or average that read it warms
 * up afresh after it, as if the series started there (see forEachFiniteRun).
 */
export { adx, type Adx } from './adx.ts';
export { atr } from './atr.ts';
export { bbands, type Bands } from './bbands.ts';
export { cci } from './cci.ts';
export { ema, rma } from './ema.ts';
export { highest } from './highest.ts';
export { keltner } from './keltner.ts';
export { lowest } from './lowest.ts';
export { macd, type Macd } from './macd.ts';
export { mfi } from './mfi.ts';
export { obv } from './obv.ts';
export { roc } from './roc.ts';
export { rsi } from './rsi.ts';
export { sma } from './sma.ts';
export { stoch, type Stoch } from './stoch.ts';
export { trueRange } from './true-range.ts';
export { typicalPrice } from './typical-price.ts';
export { williamsr } from './williamsr.ts';
export { wma } from './wma.ts';
export { checkIndicatorArgs, computeIndicator, indicatorArgNames, indicatorWarmup, type IndicatorArgs } from './registry.ts';
