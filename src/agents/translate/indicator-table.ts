import type { IndicatorFn, NumOrParam, Param, PriceField } from '../../core/spec/schema.ts';
import type { IndicatorRequest } from './condition-ir.ts';

/**
 * What each spec indicator fn takes, in the order the rule language and ids list them. `periods`
 * are integers ≥ 1 and `factors` reals > 0 — the engine's own argument rules, checked here so a
 * bad length is reported against the input rather than at compile time.
 */
export interface FnShape {
  /** The default price field, or null for fns that read the whole bar (no `source`). */
  readonly source: PriceField | null;
  readonly args: readonly string[];
  readonly periods: readonly string[];
  readonly factors: readonly string[];
  /** The id prefix: short, as the DESIGN examples write them (bb, kc). */
  readonly prefix: string;
}

const single = (source: PriceField | null, prefix: string): FnShape => ({ source, args: ['period'], periods: ['period'], factors: [], prefix });

export const FN_SHAPES: Record<IndicatorFn, FnShape> = {
  sma: single('close', 'sma'),
  ema: single('close', 'ema'),
  wma: single('close', 'wma'),
  rsi: single('close', 'rsi'),
  roc: single('close', 'roc'),
  highest: single('high', 'highest'),
  lowest: single('low', 'lowest'),
  bbands: { source: 'close', args: ['period', 'stddev'], periods: ['period'], factors: ['stddev'], prefix: 'bb' },
  macd: { source: 'close', args: ['fast', 'slow', 'signal'], periods: ['fast', 'slow', 'signal'], factors: [], prefix: 'macd' },
  atr: single(null, 'atr'),
  stoch: { source: null, args: ['period', 'signal'], periods: ['period', 'signal'], factors: [], prefix: 'stoch' },
  adx: single(null, 'adx'),
  cci: single(null, 'cci'),
  keltner: { source: 'close', args: ['period', 'multiplier'], periods: ['period'], factors: ['multiplier'], prefix: 'kc' },
  obv: { source: null, args: [], periods: [], factors: [], prefix: 'obv' },
  mfi: single(null, 'mfi'),
  williamsr: single(null, 'williamsr'),
};

function argOf(req: IndicatorRequest, key: string): NumOrParam | null | undefined {
  return (req as unknown as Record<string, NumOrParam | null | undefined>)[key];
}

function renderArg(v: NumOrParam | null | undefined): string {
  if (v === null || v === undefined) return 'x';
  if (typeof v === 'number') return String(v).replace(/\./g, 'p').replace(/-/g, 'm').replace(/[^A-Za-z0-9_]/g, '_');
  return v.slice(1);
}

/**
 * A readable, deterministic id from the definition: prefix, arguments (numbers as digits with
 * `p` for the point, params by name), and the source when it is not the fn's default —
 * `rsi14`, `bb20_2`, `sma_fastLen`, `highest20_close`. The caller resolves collisions.
 */
export function baseIndicatorId(req: IndicatorRequest): string {
  const shape = FN_SHAPES[req.fn];
  const args = shape.args.map((a) => renderArg(argOf(req, a)));
  let id = shape.prefix;
  if (args.length > 0) id += /^[0-9]/.test(args[0]!) ? args.join('_') : `_${args.join('_')}`;
  const source = 'source' in req ? req.source : undefined;
  if (source !== undefined && source !== shape.source) id += `_${source}`;
  return id;
}

/**
 * Why an argument is unusable, or null. Literal periods must be integers ≥ 1 and factors > 0; a
 * param used there must keep its whole range valid, so no optimizer step can reach a bad value.
 */
export function argumentProblem(fn: IndicatorFn, key: string, v: NumOrParam, params: ReadonlyMap<string, Param>): string | null {
  const shape = FN_SHAPES[fn];
  const isPeriod = shape.periods.includes(key);
  const isFactor = shape.factors.includes(key);
  if (typeof v === 'number') {
    if (isPeriod && !(Number.isInteger(v) && v >= 1)) return `${fn} ${key} must be an integer ≥ 1, got ${v}`;
    if (isFactor && !(v > 0)) return `${fn} ${key} must be > 0, got ${v}`;
    return null;
  }
  const name = v.slice(1);
  const p = params.get(name);
  if (p === undefined) return `${v} names no param`;
  if (isPeriod && !(p.min >= 1 && [p.value, p.min, p.max, p.step].every(Number.isInteger))) {
    return `${fn} ${key} is ${v}, so its range must hold integers ≥ 1 (value, min, max and step integers, min ≥ 1); it is ${p.value} in [${p.min}, ${p.max}] step ${p.step}`;
  }
  if (isFactor && !(p.min > 0)) return `${fn} ${key} is ${v}, so its range must stay > 0; it is [${p.min}, ${p.max}]`;
  return null;
}
