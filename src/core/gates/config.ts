import { z } from 'zod';
import { UserError, formatZodError } from '../errors.ts';
import { canonicalJson, sha256 } from '../spec/hash.ts';

/**
 * Gate thresholds (DESIGN §6). A research config may tighten them; it may never loosen one silently
 * (`tightenOnly` refuses): a looser gate is a new config, identified by `configHash` and logged.
 */

const fraction = z.number().min(0, { message: 'must be ≥ 0' }).max(1, { message: 'must be ≤ 1' });
const positiveFraction = z.number().positive({ message: 'must be > 0' }).max(1, { message: 'must be ≤ 1' });
const count = z.number().int({ message: 'must be a whole number' }).nonnegative({ message: 'must be ≥ 0' });
const rate = z.number().nonnegative({ message: 'must be ≥ 0' });

export const ViabilityConfigSchema = z.strictObject({
  /** Pooled closed trades per year, by `meta.holding_period`. */
  minTradesPerYear: z.strictObject({ intraday: rate, short: rate, medium: rate, long: rate }),
  /** Of the equal-weight portfolio of the tested set, a positive fraction. */
  maxDrawdown: fraction,
  /** Mean per-trade return over every trade of the tested set (0.002 = 0.2 %). */
  minAvgTradeReturn: z.number(),
});

export const DistributionConfigSchema = z.strictObject({
  /** How many of the best trades are summed against the total PnL. */
  topTrades: count.min(1, { message: 'must be ≥ 1' }),
  maxTopTradesShare: z.number().nonnegative({ message: 'must be ≥ 0' }),
  maxDayShare: fraction,
  maxWeekShare: fraction,
  /** Width of the sliding window, as a fraction of the time span. */
  sliceFraction: positiveFraction,
  maxSliceTradeShare: fraction,
});

export const RobustnessConfigSchema = z.strictObject({
  /** value on a part ≥ minRetention × value on its reference. */
  minRetention: z.number(),
  /** K seeded random subsamples. */
  subsamples: count.min(1, { message: 'must be ≥ 1' }),
  /** The train part is the first `trainFraction` of the span, the test part the rest. */
  trainFraction: z.number().gt(0, { message: 'must be > 0' }).lt(1, { message: 'must be < 1' }),
  /** Each random subsample is a contiguous window this fraction of the span wide. */
  subsampleFraction: positiveFraction,
});

export const ComplexityConfigSchema = z.strictObject({
  maxIndicators: count,
  maxConditionsPerSide: count,
  maxOptimizableParams: count,
});

export const MultipleTestingConfigSchema = z.strictObject({
  minDsr: fraction,
  minPsr: fraction,
  maxPbo: fraction,
  /** MinBTL's E_target when the observed annualised Sharpe is not positive (otherwise the observed one is used). */
  minBtlTargetSharpe: z.number().positive({ message: 'must be > 0' }),
  /** CSCV blocks S (even). */
  pboBlocks: count.min(2, { message: 'must be ≥ 2' }).refine((s) => s % 2 === 0, { message: 'must be even' }),
});

export const HoldoutConfigSchema = z.strictObject({
  /** Holdout avg trade return ≥ minRetention × the visible one. */
  minRetention: z.number(),
  /** Fewer pooled holdout trades than this cannot prove anything, so the gate fails. */
  minTrades: count,
});

export const GateConfigSchema = z.strictObject({
  viability: ViabilityConfigSchema,
  distribution: DistributionConfigSchema,
  robustness: RobustnessConfigSchema,
  complexity: ComplexityConfigSchema,
  multipleTesting: MultipleTestingConfigSchema,
  holdout: HoldoutConfigSchema,
});
export type GateConfig = z.infer<typeof GateConfigSchema>;
export type ViabilityConfig = GateConfig['viability'];
export type DistributionConfig = GateConfig['distribution'];
export type RobustnessConfig = GateConfig['robustness'];
export type ComplexityConfig = GateConfig['complexity'];
export type MultipleTestingConfig = GateConfig['multipleTesting'];
export type HoldoutConfig = GateConfig['holdout'];

type DeepReadonly<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly<T[K]> : T[K] };

function deepFreeze<T>(o: T): DeepReadonly<T> {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o as DeepReadonly<T>;
}

/** DESIGN §6 defaults. */
export const DEFAULT_GATE_CONFIG: DeepReadonly<GateConfig> = deepFreeze({
  viability: { minTradesPerYear: { intraday: 100, short: 100, medium: 40, long: 15 }, maxDrawdown: 0.25, minAvgTradeReturn: 0.002 },
  distribution: { topTrades: 5, maxTopTradesShare: 0.5, maxDayShare: 0.25, maxWeekShare: 0.4, sliceFraction: 0.05, maxSliceTradeShare: 0.25 },
  robustness: { minRetention: 0.5, subsamples: 8, trainFraction: 0.7, subsampleFraction: 0.5 },
  complexity: { maxIndicators: 5, maxConditionsPerSide: 6, maxOptimizableParams: 6 },
  multipleTesting: { minDsr: 0.95, minPsr: 0.95, maxPbo: 0.5, minBtlTargetSharpe: 1, pboBlocks: 16 },
  holdout: { minRetention: 0.5, minTrades: 10 },
});

/**
 * Which way each field tightens the gate. `raise`: a higher value is harsher (a minimum, or a
 * count whose max/min only grows with it); `lower`: a lower value is harsher; `fixed`: neither
 * direction is harsher in general, so changing it is a new config version, never a tightening.
 * - distribution.topTrades is fixed: the (k+1)-th best trade may be a loss, so a larger k can
 *   shrink the top-k share.
 * - distribution.sliceFraction raises: a wider window holds at least as many trades.
 * - robustness.subsamples raises: the gate draws one random number per subsample, so K + 1
 *   subsamples are the same K plus one more, and the minimum retention over them can only fall.
 * - robustness.trainFraction / subsampleFraction are fixed: moving a split helps some strategies
 *   and hurts others.
 * - multipleTesting.minBtlTargetSharpe lowers: MinBTL = (EmaxZ(N)/E)² grows as E falls.
 */
type Direction = 'raise' | 'lower' | 'fixed';
type Directions<T> = { readonly [K in keyof T]: T[K] extends number ? Direction : Directions<T[K]> };

export const TIGHTENING: Directions<GateConfig> = deepFreeze({
  viability: { minTradesPerYear: { intraday: 'raise', short: 'raise', medium: 'raise', long: 'raise' }, maxDrawdown: 'lower', minAvgTradeReturn: 'raise' },
  distribution: { topTrades: 'fixed', maxTopTradesShare: 'lower', maxDayShare: 'lower', maxWeekShare: 'lower', sliceFraction: 'raise', maxSliceTradeShare: 'lower' },
  robustness: { minRetention: 'raise', subsamples: 'raise', trainFraction: 'fixed', subsampleFraction: 'fixed' },
  complexity: { maxIndicators: 'lower', maxConditionsPerSide: 'lower', maxOptimizableParams: 'lower' },
  multipleTesting: { minDsr: 'raise', minPsr: 'raise', maxPbo: 'lower', minBtlTargetSharpe: 'lower', pboBlocks: 'fixed' },
  holdout: { minRetention: 'raise', minTrades: 'raise' },
} as const);

/** Validates a whole gate config; throws a UserError listing every bad field. */
export function parseGateConfig(raw: unknown, where = 'gate config'): GateConfig {
  const r = GateConfigSchema.safeParse(raw);
  if (!r.success) throw new UserError(formatZodError(r.error, where));
  return r.data;
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * `base` with `override` (a partial config, e.g. from a research file) merged in, refusing any field
 * that would loosen the gate, change a `fixed` field, or does not exist. The error names the field,
 * so the user knows which number needs a new config version instead.
 */
export function tightenOnly(base: GateConfig | DeepReadonly<GateConfig>, override: unknown, where = 'gate config'): GateConfig {
  const checkedBase = parseGateConfig(base, `${where} (base)`);
  const merged = merge(checkedBase, override, TIGHTENING, '', where);
  return parseGateConfig(merged, where);
}

function merge(base: Record<string, unknown>, override: unknown, dirs: unknown, path: string, where: string): Record<string, unknown> {
  if (!isRecord(override)) throw new UserError(`${where}: ${path === '' ? '(root)' : path}: must be an object`);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (value === undefined) continue;
    if (!Object.hasOwn(base, key)) throw new UserError(`${where}: ${field}: unknown field`);
    const was = base[key];
    const dir = (dirs as Record<string, unknown>)[key];
    if (isRecord(was)) {
      out[key] = merge(was, value, dir, field, where);
      continue;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) throw new UserError(`${where}: ${field}: must be a number`);
    const wasNumber = was as number;
    const looser =
      dir === 'raise' ? value < wasNumber : dir === 'lower' ? value > wasNumber : value !== wasNumber;
    if (looser) {
      const why = dir === 'fixed'
        ? `${value} differs from ${wasNumber}, and this field cannot be changed by tightening`
        : `${value} loosens ${wasNumber} (only ${dir === 'raise' ? 'a value ≥' : 'a value ≤'} ${wasNumber} tightens)`;
      throw new UserError(`${where}: ${field}: ${why}. A looser gate must be a new, logged config version.`);
    }
    out[key] = value;
  }
  return out;
}

/** The config's identity: sha256 of its canonical JSON, so a verdict can name the exact thresholds it used. */
export function configHash(config: GateConfig | DeepReadonly<GateConfig>): string {
  return sha256(canonicalJson(config));
}
